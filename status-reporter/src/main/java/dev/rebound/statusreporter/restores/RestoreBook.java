package dev.rebound.statusreporter.restores;

import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.Topics;
import dev.rebound.support.events.Checkpoints;
import dev.rebound.support.events.OwnedPartitions;
import dev.rebound.support.events.PartitionLease;
import dev.rebound.support.events.RestoreLogReader;
import dev.rebound.support.events.RestoreSnapshots;
import dev.rebound.support.settings.ServiceSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every restore: those that ended as their summaries ({@link EndedRestores}, read from the snapshot
 * topic at start), the others folded from the restore log, which the reader reads from the
 * snapshots' checkpoints (so a restarted status-reporter reports exactly what it reported before,
 * and every instance reports the same). The first {@code Submitted} of a name in the log is the
 * restore; later ones (a submission that lost the name, or of an ended restore) are ignored. A view
 * leaves memory once its restore ended (its files stored, if it ran): its summary replaces it.
 *
 * <p>The status-reporters share the log's partitions through a {@link PartitionLease} ({@value #GROUP}):
 * only the owner of a restore's partition stores its files, and only the owner of partition 0
 * exports the restore metrics, so that a {@code sum()} over instances counts every restore once.
 */
@ApplicationScoped
public class RestoreBook implements RestoreLogReader.Handler {

  /** The status-reporters' consumer group: its members share the restore log's partitions. */
  static final String GROUP = "rebound-status-reporter";
  /** The partition whose owner exports the restore metrics. */
  static final int METRICS_PARTITION = 0;

  private final Map<String, RestoreView> restores = new ConcurrentHashMap<>();
  /** Items recorded per restore not ended, by action: its summary keeps them for the metrics. */
  private final Map<String, Map<String, Long>> items = new ConcurrentHashMap<>();
  private final Checkpoints checkpoints = new Checkpoints();
  private final RestoreMetrics metrics;
  private final RestoreFiles files;
  private final String bootstrapServers;
  private volatile boolean historyRead;
  private RestoreLogReader reader;
  private PartitionLease lease;
  /** Reader thread only. */
  private boolean leaseStarted;
  /** Which partitions this instance acts on; ownership changes are applied on the reader's thread. */
  private final OwnedPartitions owned = new OwnedPartitions(this::activated, this::released);
  private final EndedRestores endedRestores = new EndedRestores(checkpoints, p -> historyRead && owned.active(p));
  /** Notified after every poll of the log, for {@link #awaitDelivered}. */
  private final Object polled = new Object();

  private final ServiceSettings settings;

  RestoreBook(RestoreMetrics metrics, RestoreFiles files,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, ServiceSettings settings) {
    this.settings = settings;
    this.metrics = metrics;
    this.files = files;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Reads the log only once every setting is valid: until then the API answers 503 (no restore is
   * accepted) and no restore's files are written to a bucket that cannot take them.
   */
  void start(@Observes StartupEvent event) {
    reader = new RestoreLogReader(bootstrapServers, "status-reporter", this);
    lease = new PartitionLease(bootstrapServers, GROUP, "status-reporter", Topics.RESTORE_EVENTS, owned);
    settings.onceValid(() -> {
      endedRestores.writer(new RestoreSnapshots(bootstrapServers, "status-reporter"));
      reader.start();
    });
  }

  void stop(@Observes ShutdownEvent event) {
    if (lease != null) {
      lease.close();
    }
    if (reader != null) {
      reader.close();
    }
    endedRestores.stop();
  }

  /** An ended restore from the snapshot topic (before any event): its summary, and its share of the metrics. */
  @Override
  public void ended(String restore, String json) {
    RestoreSummary summary = endedRestores.loaded(restore, json);
    if (summary == null) {
      return;
    }
    metrics.restoreCount(restores.size() + endedRestores.size());
    metrics.attempted(summary.schedule()); // an ended restore left New, so it was attempted
    summary.items().forEach((action, count) -> metrics.items(ItemAction.of(action), count));
    metrics.ended(summary.schedule(), summary.phase(), summary.start(), summary.completion());
  }

  /**
   * A deleted restore's share of the metrics (after every summary): counted unless its summary was
   * read too (the snapshot's removal was not written before a crash; the log deletes it again).
   */
  @Override
  public void deleted(String uid, String json) {
    if (loadedUids == null) {
      loadedUids = endedRestores.uids();
    }
    if (loadedUids.contains(uid)) {
      return;
    }
    DeletedRestore share = DeletedRestore.read(uid, json);
    if (share == null) {
      return;
    }
    metrics.attempted(share.schedule());
    share.items().forEach((action, count) -> metrics.items(ItemAction.of(action), count));
    metrics.ended(share.schedule(), share.phase(), share.start(), share.completion());
  }

  /** The uids of the summaries read at start, while deleted restores' shares are read (reader thread). */
  private Set<String> loadedUids;

  @Override
  public void started(Map<Integer, Long> offsets) {
    loadedUids = null;
    offsets.forEach(checkpoints::started);
  }

  @Override
  public void event(RestoreEvent event, RestoreLogReader.Position position) {
    try {
      fold(event, position);
    } finally {
      checkpoints.folded(position.partition(), position.offset());
    }
  }

  private void fold(RestoreEvent event, RestoreLogReader.Position position) {
    if (event instanceof RestoreEvent.Submitted submitted) {
      // The first submission of a name in the log wins; the API answers the others 409.
      if (!endedRestores.contains(submitted.restore())
          && restores.putIfAbsent(submitted.restore(), new RestoreView(submitted, position.partition())) == null) {
        checkpoints.submitted(submitted.restore(), position.partition(), position.offset());
        metrics.restoreCount(restores.size() + endedRestores.size());
      }
      return;
    }
    if (event instanceof RestoreEvent.DeleteRequested request) {
      RestoreView running = restores.get(request.restore());
      if (running != null) {
        // A running restore is deleted once its cancel ended it (the deletion waits in its view).
        synchronized (running) {
          running.deleteRequested(request, position.offset());
        }
        return;
      }
      endedRestores.deleteRequested(request, position.partition(), position.offset());
      endedRestores.flush(position.partition());
      return;
    }
    if (event instanceof RestoreEvent.Deleted deleted) {
      if (endedRestores.deleted(deleted, position.partition()) != null) {
        metrics.restoreCount(restores.size() + endedRestores.size());
      }
      endedRestores.flush(position.partition());
      return;
    }
    RestoreView view = restores.get(event.restore());
    if (view == null) {
      return;
    }
    synchronized (view) {
      boolean started = view.phase() != RestorePhase.NEW;
      int recordedBefore = view.recordedCount();
      RestorePhase ended = view.apply(event);
      if (!started && view.phase() != RestorePhase.NEW) {
        metrics.attempted(view.schedule());
      }
      if (event instanceof RestoreEvent.ItemRestored result && view.recordedCount() > recordedBefore) {
        metrics.items(result.action(), 1);
        items.computeIfAbsent(view.name(), n -> new ConcurrentHashMap<>()).merge(result.action().value(), 1L, Long::sum);
      }
      if (ended != null) {
        metrics.ended(view.schedule(), ended, view.start(), view.completion());
        metrics.notInProgress(view.name());
      } else if (event instanceof RestoreEvent.Planned && !view.phase().isTerminal() && view.start() != null) {
        metrics.inProgress(view.name(), view.schedule(), view.start());
      }
      if (historyRead && owned.active(view.partition()) && view.awaitingFiles()) {
        files.store(view.files());
      }
      if (view.phase().isTerminal() && !view.awaitingFiles()) {
        // Ended (files stored, or none to store): the summary replaces the view, the snapshot is due.
        endedRestores.ended(RestoreSummary.of(view, items.getOrDefault(view.name(), Map.of())));
        if (view.deletion() != null) {
          endedRestores.deleteRequested(view.deletion().request(), view.partition(), view.deletion().offset());
        }
        restores.remove(view.name());
        items.remove(view.name());
        endedRestores.flush(view.partition());
      }
    }
  }

  /** Between two polls: ownership changes, the metrics follow partition 0, waiting submissions learn the offset. */
  @Override
  public void idle() {
    if (!leaseStarted) {
      // The reader found the log's partitions: the topic exists, the group can share them.
      leaseStarted = true;
      lease.start();
    }
    owned.update(reader::delivered);
    synchronized (polled) {
      polled.notifyAll();
    }
  }

  /** Reader thread: this instance now acts on the partition (it has read what its predecessor did). */
  private void activated(int partition) {
    if (historyRead) {
      if (partition == METRICS_PARTITION) {
        metrics.bind();
      }
      storeAwaitingFiles(partition);
      endedRestores.flush(partition);
    }
  }

  /** Reader thread: another instance acts on these partitions from now on. */
  private void released(Set<Integer> partitions) {
    if (partitions.contains(METRICS_PARTITION)) {
      metrics.unbind();
    }
  }

  /** Stores the files of the partition's restores that ended and await them (a takeover, or a start). */
  private void storeAwaitingFiles(int partition) {
    for (RestoreView view : restores.values()) {
      synchronized (view) {
        if (view.partition() == partition && view.awaitingFiles()) {
          files.store(view.files());
        }
      }
    }
  }
  /**
   * The history is read: metrics show, and restores that ended while no status-reporter stored
   * their files (or before it recorded doing so) get them stored now.
   */
  @Override
  public void caughtUp() {
    historyRead = true;
    if (owned.active(METRICS_PARTITION)) {
      metrics.bind();
    }
    for (RestoreView view : restores.values()) {
      synchronized (view) {
        if (owned.active(view.partition()) && view.awaitingFiles()) {
          files.store(view.files());
        }
      }
    }
    for (int partition = 0; reader.delivered(partition) >= 0; partition++) {
      endedRestores.flush(partition);
    }
  }

  /**
   * Whether this instance answers for the restore in the management cluster (its DownloadRequests,
   * its Restore object): it owns the restore's partition of the log, or partition 0 for a name that
   * is no restore. So one instance answers, and another takes over with the partition.
   */
  public boolean answersFor(String name) {
    Optional<Integer> partition = read(name, RestoreView::partition)
        .or(() -> Optional.ofNullable(endedRestores.get(name)).map(RestoreSummary::partition));
    return historyRead && owned.active(partition.orElse(METRICS_PARTITION));
  }

  /**
   * Whether this instance leads the status-reporters now: it owns the restore log's partition 0 (as
   * for the metrics), so work done once for all (BackupStorageLocation validation) is done here.
   */
  public boolean leads() {
    return historyRead && owned.active(METRICS_PARTITION);
  }

  /** Every restore's name, running or ended. */
  public java.util.Set<String> names() {
    java.util.Set<String> names = new java.util.HashSet<>(restores.keySet());
    names.addAll(endedRestores.names());
    return names;
  }

  /** The restore's Restore now (an ended one as its summary keeps it), if there is such a restore. */
  public Optional<Restore> current(String name) {
    return read(name, RestoreView::restore).or(() -> summary(name).map(RestoreSummary::restore));
  }

  /**
   * How many events the restore has folded, to tell whether it changed; {@link Long#MAX_VALUE} once
   * it ended, -1 when there is no such restore.
   */
  public long version(String name) {
    return read(name, RestoreView::version).orElse(endedRestores.contains(name) ? Long.MAX_VALUE : -1L);
  }

  public boolean historyRead() {
    return historyRead;
  }

  /**
   * Waits until this instance's reader has delivered the partition past {@code offset} (so the
   * book holds every event up to it).
   *
   * @return false when that did not happen within {@code timeout}
   */
  public boolean awaitDelivered(int partition, long offset, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (polled) {
      while (reader == null || reader.delivered(partition) <= offset) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        polled.wait(Math.min(left, 200));
      }
    }
    return true;
  }

  /** The uid of the submission that won the name (the first in the log), if any. */
  public Optional<String> winner(String name) {
    // The restore may have ended already (FailedValidation takes a moment): then its summary has the uid.
    return read(name, RestoreView::uid).or(() -> summary(name).map(s -> s.restore().metadata())
        .map(m -> m.uid()));
  }

  public boolean contains(String name) {
    return restores.containsKey(name) || endedRestores.contains(name);
  }

  /**
   * The summary of an ended restore, if the restore ended; while it is being deleted its Restore
   * carries {@code metadata.deletionTimestamp}.
   */
  public Optional<RestoreSummary> summary(String name) {
    return Optional.ofNullable(endedRestores.get(name)).map(endedRestores::marked);
  }

  /** The request deleting an ended restore, if it is being deleted. */
  public Optional<RestoreEvent.DeleteRequested> deleting(String name) {
    return Optional.ofNullable(endedRestores.deleting(name));
  }

  /** A consistent reading of one restore. */
  public <T> Optional<T> read(String name, Function<RestoreView, T> reading) {
    RestoreView view = restores.get(name);
    if (view == null) {
      return Optional.empty();
    }
    synchronized (view) {
      return Optional.of(reading.apply(view));
    }
  }

  /**
   * Every restore's Restore object, oldest first: the ended ones' as they ended. A restore that ends
   * while this runs may be both a view and a summary for a moment (the reader adds the summary, then
   * drops the view): it is listed once, as its summary.
   */
  public List<Restore> all() {
    record Listed(Instant submittedAt, Restore restore) {}
    Map<String, Listed> listed = new java.util.HashMap<>();
    restores.values().forEach(v -> {
      synchronized (v) {
        listed.put(v.name(), new Listed(v.submittedAt(), v.restore()));
      }
    });
    endedRestores.all().forEach(s -> listed.put(s.restore().name(), new Listed(s.submittedAt(),
        endedRestores.marked(s).restore())));
    return listed.values().stream().sorted(Comparator.comparing(Listed::submittedAt)).map(Listed::restore).toList();
  }
}
