package dev.rebound.statusreporter.restores;

import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.RestorePhase;
import java.time.Instant;

/**
 * What Velero reports of a restore's events, per target cluster: the counts, warnings, errors and
 * volumes they add to the cluster's view, and the log lines Velero's restore log has for them.
 */
final class EventReport {

  private EventReport() {}

  /** Where a report's lines go: the restore's log. */
  interface Log {
    void log(Instant at, String level, String message, String cluster);
  }

  /** Reports an event the cluster's fold took as new: into the cluster's view and the restore's log. */
  static void report(ClusterView c, RestoreEvent event, String clusterName, Log log) {
    if (event instanceof RestoreEvent.Rejected) {
      c.validationErrors().forEach(e -> log.log(event.at(), "error", "validation error: " + e, clusterName));
      if (c.phase() == RestorePhase.FAILED) {
        log.log(event.at(), "error", "restore failed: " + c.failureReason(), clusterName);
      }
    } else if (event instanceof RestoreEvent.Planned planned) {
      c.warnings.addAll(planned.warnings());
      c.errors.addAll(planned.errors());
      log.log(event.at(), "info", "Starting restore of backup " + planned.resolved().spec().backupName() + ": "
          + planned.waves().size() + " waves, " + planned.totalItems() + " items", clusterName);
    } else if (event instanceof RestoreEvent.WaveStarted started) {
      log.log(event.at(), "info", "Restoring wave " + started.wave() + " (" + started.items() + " items)", clusterName);
    } else if (event instanceof RestoreEvent.ItemRestored result) {
      if (result.dryRun() != null) {
        c.verdicts.put(result.key(), result.dryRun());
      }
      c.operationsAttempted += result.podVolumeRestores().size();
      if (result.restoredVolume() != null && result.action() == ItemAction.CREATED) {
        c.snapshotVolumes.add(result.restoredVolume());
      }
      c.warnings.addAll(result.warnings());
      c.errors.addAll(result.errors());
      for (String line : result.log()) {
        String level = line.startsWith("error: ") ? "error" : line.startsWith("warning: ") ? "warning" : "info";
        log.log(event.at(), level, line, clusterName);
      }
      log.log(event.at(), "info", "Restored " + c.recordedCount() + " items out of an estimated total of "
          + RestoreView.estimate(c) + " (estimate will change throughout the restore)", clusterName);
    } else if (event instanceof RestoreEvent.AwaitingVolumes awaiting) {
      c.awaitingVolumes = awaiting.pods(); // pods reported after this one count down
      log.log(event.at(), "info", "Waiting for the volume data of " + awaiting.pods() + " pods", clusterName);
    } else if (event instanceof RestoreEvent.VolumesPatched patched) {
      c.errors.addAll(patched.errors());
      patched.log().forEach(line -> log.log(event.at(), "info", line, clusterName));
      patched.errors().namespaces().values().forEach(errs -> errs.forEach(e -> log.log(event.at(), "error", e, clusterName)));
    } else if (event instanceof RestoreEvent.PodVolumesRestored restored) {
      c.awaitingVolumes = Math.max(0, c.awaitingVolumes - 1);
      c.volumeBytes += restored.bytes();
      c.restoredVolumes.addAll(restored.restored());
      c.operations.addAll(restored.operations());
      restored.errors().forEach(c.errors::addVelero);
      for (String line : restored.log()) {
        log.log(event.at(), "info", line, clusterName);
      }
      log.log(event.at(), restored.errors().isEmpty() ? "info" : "error", "Restored the volume data of pod "
          + restored.pod().namespace() + "/" + restored.pod().name() + ": " + restored.completed() + " of "
          + restored.volumes() + " volumes, " + restored.bytes() + " bytes"
          + (restored.errors().isEmpty() ? "" : ": " + String.join("; ", restored.errors())), clusterName);
    } else if (event instanceof RestoreEvent.AwaitingHooks awaiting) {
      c.awaitingHooks = true;
      c.awaitingVolumes = 0; // the coordinator awaits hooks once every volume restore ended
      log.log(event.at(), "info", "Waiting for the exec hooks of " + awaiting.pods() + " pods", clusterName);
    } else if (event instanceof RestoreEvent.HooksRun hooks) {
      hooks.errors().forEach(error -> c.errors.add(hooks.pod().namespace(), error));
      for (String line : hooks.log()) {
        log.log(event.at(), line.startsWith("error: ") ? "error" : line.startsWith("warning: ") ? "warning" : "info",
            line, clusterName);
      }
    } else if (event instanceof RestoreEvent.Finished finished && finished.phase() == RestorePhase.CANCELED) {
      log.log(event.at(), "warning", finished.failureReason() + ": " + c.recordedCount()
          + " items restored of the " + c.plannedItems() + " planned", clusterName);
    } else if (event instanceof RestoreEvent.Finished finished) {
      log.log(event.at(), finished.phase() == RestorePhase.COMPLETED ? "info" : "warning",
          "restore completed with phase " + finished.phase().value()
              + (finished.failureReason() == null ? "" : ": " + finished.failureReason()), clusterName);
    }
  }
}
