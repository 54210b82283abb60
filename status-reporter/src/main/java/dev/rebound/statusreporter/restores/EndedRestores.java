package dev.rebound.statusreporter.restores;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rebound.model.Json;
import dev.rebound.support.events.Checkpoints;
import dev.rebound.support.events.RestoreSnapshots;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.jboss.logging.Logger;

/**
 * The ended restores: their summaries (read from {@code rebound.restore-snapshots} at start, or made
 * when the log ends them), and the writing of their snapshots. Every instance makes the summaries
 * (so every instance drops an ended restore's view); the owner of a restore's partition writes its
 * summary, acknowledged, then the partition's checkpoint, acknowledged, on a thread of its own. A
 * crash between the two leaves the old checkpoint: the next reader folds the restore's events
 * again and ignores them, since the summary says the restore ended.
 */
final class EndedRestores {

  private static final Logger LOG = Logger.getLogger(EndedRestores.class);
  private static final long RETRY_SECONDS = 5;

  private final Map<String, RestoreSummary> summaries = new ConcurrentHashMap<>();
  /** Per partition, the ended restores this instance has not written a snapshot of. */
  private final Map<Integer, Set<String>> unwritten = new ConcurrentHashMap<>();
  private final Checkpoints checkpoints;
  private final IntPredicate owner;
  private final Set<Integer> flushing = ConcurrentHashMap.newKeySet();
  private RestoreSnapshots writer;
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "restore-snapshots");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param owner whether this instance writes the snapshots of a partition's restores now
   */
  EndedRestores(Checkpoints checkpoints, IntPredicate owner) {
    this.checkpoints = checkpoints;
    this.owner = owner;
  }

  void writer(RestoreSnapshots writer) {
    this.writer = writer;
  }

  void stop() {
    worker.shutdownNow();
    if (writer != null) {
      writer.close();
    }
  }

  /** A summary from the snapshot topic; null when it cannot be read (logged). */
  RestoreSummary loaded(String restore, String json) {
    try {
      RestoreSummary summary = Json.mapper().readValue(json, RestoreSummary.class);
      summaries.put(restore, summary);
      return summary;
    } catch (JsonProcessingException e) {
      LOG.errorf("unreadable snapshot of restore %s in rebound.restore-snapshots, ignored: %s", restore,
          e.getOriginalMessage());
      return null;
    }
  }

  /** The log ended a restore (reader thread): its summary replaces its view; its snapshot is due. */
  void ended(RestoreSummary summary) {
    summaries.put(summary.restore().name(), summary);
    unwritten.computeIfAbsent(summary.partition(), p -> ConcurrentHashMap.newKeySet()).add(summary.restore().name());
  }

  RestoreSummary get(String restore) {
    return summaries.get(restore);
  }

  boolean contains(String restore) {
    return summaries.containsKey(restore);
  }

  int size() {
    return summaries.size();
  }

  Iterable<RestoreSummary> all() {
    return summaries.values();
  }

  /** Writes the snapshots due on the partition, if this instance owns it (any thread). */
  void flush(int partition) {
    Set<String> due = unwritten.get(partition);
    if (writer == null || due == null || due.isEmpty() || !owner.test(partition) || !flushing.add(partition)) {
      return;
    }
    worker.execute(() -> write(partition));
  }

  private void write(int partition) {
    try {
      Set<String> due = unwritten.getOrDefault(partition, Set.of());
      Map<String, String> batch = new java.util.LinkedHashMap<>();
      for (String restore : Set.copyOf(due)) {
        batch.put(restore, Json.mapper().writeValueAsString(summaries.get(restore)));
      }
      writer.summaries(batch); // every one acknowledged before the checkpoint moves past them
      for (String restore : batch.keySet()) {
        checkpoints.snapshotted(restore, partition);
        due.remove(restore);
      }
      OptionalLong checkpoint = checkpoints.checkpoint(partition);
      if (checkpoint.isPresent()) {
        writer.checkpoint(partition, checkpoint.getAsLong());
        LOG.debugf("checkpoint of restore log partition %d: offset %d", partition, checkpoint.getAsLong());
      }
      flushing.remove(partition);
      if (!due.isEmpty()) {
        flush(partition); // ended while this ran
      }
    } catch (JsonProcessingException | RuntimeException e) {
      LOG.warnf("Cannot write the snapshots of restore log partition %d, trying again in %ds: %s", partition,
          RETRY_SECONDS, e.getMessage());
      worker.schedule(() -> write(partition), RETRY_SECONDS, TimeUnit.SECONDS);
    }
  }
}
