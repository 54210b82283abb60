package dev.rebound.statusreporter.restores;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rebound.model.Json;
import dev.rebound.model.pipeline.RestoreEvent;
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
  /** Per partition, the ended restores this instance has not written a snapshot of (or the removal of one). */
  private final Map<Integer, Set<String>> unwritten = new ConcurrentHashMap<>();
  /** The ended restores being deleted: name to the request ({@code DeleteRequested}). */
  private final Map<String, RestoreEvent.DeleteRequested> deleting = new ConcurrentHashMap<>();
  /** Per partition, deleted restores' shares of the metrics not written yet: uid to JSON. */
  private final Map<Integer, Map<String, String>> unwrittenDeletions = new ConcurrentHashMap<>();
  /** Per partition, the deletions whose end was folded: their hold on the checkpoint goes once written. */
  private final Map<Integer, Set<String>> closedDeletions = new ConcurrentHashMap<>();
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

  /**
   * A request to delete an ended restore (reader thread); ignored when it names no ended restore
   * (another uid, or a restore not ended or gone). It holds the partition's checkpoint back until the
   * restore's removal is written, so a reader that starts meanwhile folds it again.
   */
  void deleteRequested(RestoreEvent.DeleteRequested request, int partition, long offset) {
    RestoreSummary summary = summaries.get(request.restore());
    if (summary != null && request.uid() != null && request.uid().equals(summary.restore().metadata().uid())
        && deleting.putIfAbsent(request.restore(), request) == null) {
      checkpoints.submitted(deletionKey(request.uid()), partition, offset);
    }
  }

  /**
   * The restore's files and ConfigMaps are gone (reader thread): its summary goes, its snapshot is
   * removed and its share of the metrics kept under its uid, so counters never go down.
   *
   * @return the removed summary, or null when the event names no ended restore (another uid, or one already gone)
   */
  RestoreSummary deleted(RestoreEvent.Deleted deleted, int partition) {
    closedDeletions.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet()).add(deletionKey(deleted.uid()));
    RestoreSummary summary = summaries.get(deleted.restore());
    if (summary == null || deleted.uid() == null || !deleted.uid().equals(summary.restore().metadata().uid())) {
      return null;
    }
    deleting.remove(deleted.restore());
    summaries.remove(deleted.restore());
    try {
      unwrittenDeletions.computeIfAbsent(partition, p -> new ConcurrentHashMap<>()).put(deleted.uid(),
          Json.mapper().writeValueAsString(DeletedRestore.of(summary)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    unwritten.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet()).add(deleted.restore());
    return summary;
  }

  /** The ended restores' names. */
  java.util.Set<String> names() {
    return java.util.Set.copyOf(summaries.keySet());
  }

  /** The summary as it reads while its restore is being deleted: its Restore carries {@code deletionTimestamp}. */
  RestoreSummary marked(RestoreSummary summary) {
    RestoreEvent.DeleteRequested request = deleting.get(summary.restore().name());
    if (request == null || !java.util.Objects.equals(request.uid(), summary.restore().metadata().uid())) {
      return summary;
    }
    return summary.withRestore(summary.restore().withMetadata(summary.restore().metadata().deleting(request.at())));
  }

  /** The request deleting an ended restore, if it is being deleted. */
  RestoreEvent.DeleteRequested deleting(String restore) {
    return deleting.get(restore);
  }

  /** The uids of the summaries read from the snapshot topic (at start: before any event). */
  Set<String> uids() {
    Set<String> uids = new java.util.HashSet<>();
    summaries.values().forEach(s -> uids.add(s.restore().metadata().uid()));
    return uids;
  }

  private static String deletionKey(String uid) {
    return "deletion/" + uid;
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
    if (writer == null || !pending(partition) || !owner.test(partition) || !flushing.add(partition)) {
      return;
    }
    worker.execute(() -> write(partition));
  }

  private boolean pending(int partition) {
    return !unwritten.getOrDefault(partition, Set.of()).isEmpty()
        || !unwrittenDeletions.getOrDefault(partition, Map.of()).isEmpty()
        || !closedDeletions.getOrDefault(partition, Set.of()).isEmpty();
  }

  private void write(int partition) {
    try {
      // A deleted restore's share of the metrics first, acknowledged before its summary is removed:
      // a crash in between leaves both, and the reader counts the restore once (RestoreBook.deleted).
      Map<String, String> deletions = unwrittenDeletions.getOrDefault(partition, Map.of());
      Map<String, String> shares = Map.copyOf(deletions);
      writer.deletions(shares);
      shares.keySet().forEach(deletions::remove);
      Set<String> closed = closedDeletions.getOrDefault(partition, Set.of());
      Set<String> closing = Set.copyOf(closed);
      Set<String> due = unwritten.getOrDefault(partition, Set.of());
      Map<String, String> batch = new java.util.LinkedHashMap<>();
      for (String restore : Set.copyOf(due)) {
        RestoreSummary summary = summaries.get(restore);
        // A deleted restore's key is removed, unless a new restore of that name ended since.
        batch.put(restore, summary == null ? null : Json.mapper().writeValueAsString(summary));
      }
      writer.summaries(batch); // every one acknowledged before the checkpoint moves past them
      for (String restore : batch.keySet()) {
        checkpoints.snapshotted(restore, partition);
        due.remove(restore);
      }
      for (String deletion : closing) {
        checkpoints.snapshotted(deletion, partition);
        closed.remove(deletion);
      }
      OptionalLong checkpoint = checkpoints.checkpoint(partition);
      if (checkpoint.isPresent()) {
        writer.checkpoint(partition, checkpoint.getAsLong());
        LOG.debugf("checkpoint of restore log partition %d: offset %d", partition, checkpoint.getAsLong());
      }
      flushing.remove(partition);
      if (pending(partition)) {
        flush(partition); // ended or deleted while this ran
      }
    } catch (JsonProcessingException | RuntimeException e) {
      LOG.warnf("Cannot write the snapshots of restore log partition %d, trying again in %ds: %s", partition,
          RETRY_SECONDS, e.getMessage());
      worker.schedule(() -> write(partition), RETRY_SECONDS, TimeUnit.SECONDS);
    }
  }
}
