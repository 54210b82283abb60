package dev.rebound.coordinator.pipeline;

import dev.rebound.coordinator.kube.ConfigMaps;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.storage.StorageLocations;
import dev.rebound.support.kube.TargetClusters;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import org.jboss.logging.Logger;

/**
 * Deletes ended restores (Velero's delete semantics, reference 8.5): for each {@code DeleteRequested}
 * of a partition this coordinator drives, it removes the ConfigMap made for the restore's inline
 * resource modifiers from each target cluster's Velero namespace (only one carrying the restore's
 * uid), then the restore's files under {@code restores/<name>/} and its cancel fence, then appends
 * {@code Deleted}.
 * Every step may be done twice (a new owner after a crash finds less to remove), so a deletion
 * that fails is tried again every {@value #RETRY_SECONDS} s while this instance drives the
 * partition, and a new owner starts the deletions the log shows unfinished.
 */
final class RestoreDeletions {

  private static final Logger LOG = Logger.getLogger(RestoreDeletions.class);
  static final long RETRY_SECONDS = 5;

  /** A deletion the log asks for, and the partition of the restore log that holds it. */
  private record Deletion(RestoreEvent.DeleteRequested request, int partition) {}

  private final Map<String, Deletion> pending = new ConcurrentHashMap<>();
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final StorageLocations locations;
  private final TargetClusters clusters;
  private final String veleroNamespace;
  private final Consumer<RestoreEvent> append;
  private final Consumer<String> unfence;
  private final IntPredicate drives;
  private final Clock clock;
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "restore-deletions");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param append appends an event and returns once the broker acknowledged it
   * @param unfence removes a canceled restore's fence (by uid), once the broker acknowledged it
   * @param drives whether this instance drives a partition's restores now
   */
  RestoreDeletions(StorageLocations locations, TargetClusters clusters, String veleroNamespace,
      Consumer<RestoreEvent> append, Consumer<String> unfence, IntPredicate drives, Clock clock) {
    this.unfence = unfence;
    this.locations = locations;
    this.clusters = clusters;
    this.veleroNamespace = veleroNamespace;
    this.append = append;
    this.drives = drives;
    this.clock = clock;
  }

  /** Reader thread: an ended restore is to be deleted; started now unless the event was replayed. */
  void requested(RestoreEvent.DeleteRequested request, int partition, boolean replayed) {
    Deletion deletion = new Deletion(request, partition);
    if (pending.putIfAbsent(request.restore(), deletion) == null && !replayed) {
      start(deletion);
    }
  }

  /** Reader thread: the restore is gone (the caller matched its uid). */
  void deleted(String restore) {
    pending.remove(restore);
  }

  /** This instance now drives the partition: its unfinished deletions are started. */
  int activate(int partition) {
    int started = 0;
    for (Deletion d : pending.values()) {
      if (d.partition() == partition) {
        start(d);
        started++;
      }
    }
    return started;
  }

  void shutdown() {
    worker.shutdownNow();
  }

  private void start(Deletion deletion) {
    if (running.add(deletion.request().restore())) {
      worker.execute(() -> run(deletion));
    }
  }

  /** Worker thread: removes what the restore left, then appends {@code Deleted}; tried again until done. */
  private void run(Deletion deletion) {
    RestoreEvent.DeleteRequested request = deletion.request();
    if (pending.get(request.restore()) != deletion || !drives.test(deletion.partition())) {
      running.remove(request.restore()); // done, or another coordinator drives the restore now
      return;
    }
    try {
      int configMaps = 0;
      if (request.resourceModifierConfigMap() != null) {
        for (String cluster : request.clusters()) {
          if (!clusters.names().contains(cluster)) {
            LOG.warnf("restore %s: target cluster %s is no longer configured; its resource modifiers ConfigMap %s/%s "
                + "is left there", request.restore(), cluster, veleroNamespace, request.resourceModifierConfigMap());
            continue;
          }
          if (ConfigMaps.deleteInline(clusters.client(cluster), veleroNamespace, request.resourceModifierConfigMap(),
              request.uid())) {
            configMaps++;
          }
        }
      }
      int files = locations.storeOf(request.filesLocation()).deleteRestoreFiles(request.restore());
      unfence.accept(request.uid()); // a canceled restore's fence goes with it (a no-op for the others)
      append.accept(new RestoreEvent.Deleted(request.restore(), request.uid(), clock.instant()));
      running.remove(request.restore());
      LOG.infof("restore %s deleted by %s: %d files under restores/%s/ and %d resource modifiers ConfigMaps removed",
          request.restore(), request.by(), files, request.restore(), configMaps);
    } catch (IOException | RuntimeException e) {
      LOG.warnf("cannot delete restore %s yet, trying again in %ds: %s", request.restore(), RETRY_SECONDS,
          e.getMessage());
      worker.schedule(() -> run(deletion), RETRY_SECONDS, TimeUnit.SECONDS);
    }
  }
}
