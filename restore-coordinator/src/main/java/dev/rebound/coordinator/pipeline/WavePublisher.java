package dev.rebound.coordinator.pipeline;

import dev.rebound.coordinator.archive.CorruptBackupException;
import dev.rebound.coordinator.config.CoordinatorConfig;
import dev.rebound.coordinator.plan.PlannedItem;
import dev.rebound.coordinator.validation.OutageTimeouts;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.RestoreContext;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.Result;
import dev.rebound.storage.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Publishes a wave's item tasks, read from the backup's tarball ({@link WaveReader}), skipping the
 * items that already have a result; an item planned but no longer in the backup gets its failed
 * result here, so the wave still ends.
 */
final class WavePublisher {

  private static final Logger LOG = Logger.getLogger(WavePublisher.class);

  private final BackupStore store;
  private final CoordinatorConfig config;
  private final Publisher publisher;
  private final Clock clock;

  WavePublisher(BackupStore store, CoordinatorConfig config, Publisher publisher, Clock clock) {
    this.store = store;
    this.config = config;
    this.publisher = publisher;
    this.clock = clock;
  }

  void republishMissing(RestoreRun run, RestoreRun.ClusterRun c, int index)
      throws IOException, CorruptBackupException {
    Set<ItemKey> done;
    synchronized (run) {
      done = Set.copyOf(c.resultsOf(index));
    }
    LOG.infof("resuming restore %s in cluster %s at wave %d: %d of %d items have results", run.name, c.cluster,
        index, done.size(), c.plan.get(index).size());
    publish(run, c, c.plan.get(index), done);
  }

  void publish(RestoreRun run, RestoreRun.ClusterRun c, ExecutionWave wave, Set<ItemKey> skip)
      throws IOException, CorruptBackupException {
    Restore restore = c.resolved != null ? c.resolved : run.request;
    Map<String, String> renamedVolumes;
    synchronized (run) {
      renamedVolumes = Map.copyOf(c.renamedVolumes); // folded by the log reader's thread
    }
    WaveReader.Target target = new WaveReader.Target(run.name, restore.spec().backupName(), c.cluster,
        new RestoreContext(restore.metadata() == null ? null : restore.metadata().uid(),
            c.itemSpec != null ? c.itemSpec : restore.spec(), c.resourceModifiers,
            OutageTimeouts.of(run.request, config.defaultOutageTimeout()).toMillis()), c.persistentVolumes, c.nativeSnapshots, c.podVolumes, renamedVolumes);
    Publisher.Batch batch = publisher.batch();
    List<PlannedItem> missing;
    try (InputStream tarball = store.openTarball(restore.spec().backupName())) {
      missing = new WaveReader(config.maxItemBytes(), c.versionDirs).read(tarball, target, wave, task -> {
        if (batch.count() % 500 == 0) {
          Released.check(run, c);
        }
        if (!skip.contains(task.key())) {
          batch.add(task);
        }
      });
    }
    batch.await();
    Released.check(run, c);
    // An item planned but no longer in the backup still needs a result, or the wave never ends.
    for (PlannedItem item : missing) {
      ItemTask task = WaveReader.task(target, wave.index(), item, dev.rebound.model.Json.mapper().createObjectNode());
      if (!skip.contains(task.key())) {
        String message = "error restoring " + task.resourceId() + ": the item is no longer in backup "
            + target.backup();
        publisher.append(new RestoreEvent.ItemRestored(run.name, c.cluster, wave.index(), task.key(), ItemAction.FAILED,
            Result.empty(), Result.empty().add(task.key().namespace(), message), List.of("error: " + message),
            "restore-coordinator", clock.instant()));
      }
    }
    LOG.infof("restore %s, cluster %s: wave %d (%s) published, %d items", run.name, c.cluster, wave.index(),
        wave.name(), batch.count());
  }
}
