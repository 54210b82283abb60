package dev.rebound.coordinator.pipeline;

import dev.rebound.coordinator.RestorePlanning;
import dev.rebound.coordinator.archive.CorruptBackupException;
import dev.rebound.coordinator.config.CoordinatorConfig;
import dev.rebound.coordinator.plan.RestorePlan;
import dev.rebound.model.validation.OutageTimeouts;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.RestoreContext;
import dev.rebound.model.pipeline.StoredPlan;
import dev.rebound.model.velero.Restore;
import dev.rebound.storage.BackupStore;
import dev.rebound.storage.StorageLocations;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Records a planned run's item tasks, every wave, in one pass over the backup tarball
 * ({@link WaveReader}) onto the plan topic ({@link PlanStore}): the tarball is not read again for
 * the run, whichever coordinator publishes its waves.
 */
final class PlanRecorder {

  private static final Logger LOG = Logger.getLogger(PlanRecorder.class);

  private final StorageLocations locations;
  private final CoordinatorConfig config;
  private final PlanStore plans;

  PlanRecorder(StorageLocations locations, CoordinatorConfig config, PlanStore plans) {
    this.locations = locations;
    this.config = config;
    this.plans = plans;
  }

  /**
   * @param resolved the Restore as planned: its spec names the backup, its uid goes into every task
   * @param waves the plan's waves as they are published
   */
  StoredPlan record(RestoreRun run, RestoreRun.ClusterRun c, Restore resolved, RestorePlanning.Outcome outcome,
      List<ExecutionWave> waves) throws IOException, CorruptBackupException {
    RestorePlan plan = outcome.plan().orElseThrow();
    String backup = resolved.spec().backupName();
    WaveReader.Target target = new WaveReader.Target(run.name, backup, c.cluster(),
        new RestoreContext(resolved.metadata() == null ? null : resolved.metadata().uid(), outcome.itemSpec(),
            outcome.resourceModifiers(), OutageTimeouts.of(run.request, config.defaultOutageTimeout()).toMillis(),
            dev.rebound.model.pipeline.DryRun.requested(run.request)),
        plan.persistentVolumes(), plan.nativeSnapshots(), plan.podVolumes());
    PlanStore.Recording recording = plans.record(run.name, c.cluster());
    int[] recorded = {0};
    List<WaveReader.Placed> missing;
    // The location planning found the backup in (none recorded: Rebound's own store).
    BackupStore store = locations.storeOf(resolved.metadata() == null ? null
        : resolved.metadata().annotation(StorageLocations.ANNOTATION));
    try (InputStream tarball = store.openTarball(backup)) {
      missing = new WaveReader(config.maxItemBytes(), plan.versionDirs()).read(tarball, target, waves, task -> {
        if (++recorded[0] % 500 == 0) {
          Released.check(run, c);
        }
        recording.add(task);
      });
    }
    for (WaveReader.Placed placed : missing) {
      recording.missing(placed.wave(), new ItemKey(placed.item().resourceListKey(), placed.item().targetNamespace(),
          placed.item().name()), placed.item().groupResource());
    }
    StoredPlan stored = recording.finish(waves.size(), plan.persistentVolumes(), plan.persistentVolumePatches());
    LOG.infof("restore %s, cluster %s: plan recorded on rebound.restore-plans, %d item tasks in %d waves%s", run.name,
        c.cluster(), recorded[0], waves.size(), missing.isEmpty() ? "" : ", " + missing.size() + " planned items no "
            + "longer in the backup");
    return stored;
  }
}
