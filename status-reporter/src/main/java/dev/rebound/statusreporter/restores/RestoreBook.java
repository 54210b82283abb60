package dev.rebound.statusreporter.restores;

import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.Topics;
import dev.rebound.support.events.OwnedPartitions;
import dev.rebound.support.events.PartitionLease;
import dev.rebound.support.events.RestoreLogReader;
import dev.rebound.support.settings.ServiceSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
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
 * Every restore, folded from the restore log, which it reads from the start at each start of
 * the process (so a restarted status-reporter reports exactly what it reported before, and every
 * instance reports the same). The first {@code Submitted} of a name in the log is the restore;
 * later ones (a submission that lost the name) are ignored.
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
    settings.onceValid(reader::start);
  }

  void stop(@Observes ShutdownEvent event) {
    if (lease != null) {
      lease.close();
    }
    if (reader != null) {
      reader.close();
    }
  }

  @Override
  public void event(RestoreEvent event, RestoreLogReader.Position position) {
    if (event instanceof RestoreEvent.Submitted submitted) {
      // The first submission of a name in the log wins; the API answers the others 409.
      if (restores.putIfAbsent(submitted.restore(), new RestoreView(submitted, position.partition())) == null) {
        metrics.restoreCount(restores.size());
      }
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
        metrics.items(result.action());
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
    return read(name, RestoreView::uid);
  }

  public boolean contains(String name) {
    return restores.containsKey(name);
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

  /** Every restore, oldest first. */
  public <T> List<T> readAll(Function<RestoreView, T> reading) {
    return restores.values().stream().sorted(Comparator.comparing(RestoreView::submittedAt))
        .map(v -> {
          synchronized (v) {
            return reading.apply(v);
          }
        }).toList();
  }

}
