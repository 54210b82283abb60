package dev.rebound.itemrestorer.restore;

import dev.rebound.model.pipeline.DryRun;
import dev.rebound.model.pipeline.ExecHook;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.RestoreEvent.ItemRestored;
import dev.rebound.model.velero.Result;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What one item produced: Velero's action, warnings and errors under the item's namespace, and log lines. */
final class Outcome {

  private final ItemTask task;
  private final String worker;
  ItemAction action;
  private Result warnings = Result.empty();
  private Result errors = Result.empty();
  final List<String> log = new ArrayList<>();
  /** Velero does not record the item at all (a completed pod or job). */
  boolean notRecorded;
  /** The name the object was created with, when it is not the backup's. */
  String createdAs;
  /** A created pod's exec hooks. */
  List<ExecHook> execHooks = List.of();
  /** The PodVolumeRestores made for a created pod's volumes. */
  List<String> podVolumeRestores = List.of();
  /** In a dry run, what the restore would do to the item, when the step that knows set it. */
  DryRun.Verdict dryRun;
  /** A volume restored from a snapshot, for the restore volume info file. */
  dev.rebound.model.pipeline.RestoreEvent.RestoredVolume restoredVolume;

  Outcome(ItemTask task, String worker) {
    this.task = task;
    this.worker = worker;
  }

  void warning(String message) {
    warnings = warnings.add(task.key().namespace(), message);
    log("warning: " + message);
  }

  void error(String message) {
    errors = errors.add(task.key().namespace(), message);
    log("error: " + message);
  }

  void veleroError(String message) {
    errors = errors.addVelero(message);
    log("error: " + message);
  }

  void log(String line) {
    log.add(line);
  }

  ItemRestored result(Instant at) {
    // Namespaces are recorded only when created (reference 3.5); every other item always is.
    ItemAction recorded = action != null ? action
        : task.groupResource().equals(ItemRestore.NAMESPACES) || notRecorded ? null
        : ItemAction.implicit(warnings.count(), errors.count());
    return new ItemRestored(task.restore(), task.cluster(), task.wave(), task.key(), recorded, warnings, errors, log,
        worker, at, createdAs, execHooks, podVolumeRestores, restoredVolume,
        task.context().dryRun() ? verdict(recorded) : null);
  }

  /** The dry run's verdict: the one a step set, else what Velero's record of the item says. */
  private DryRun.Verdict verdict(ItemAction recorded) {
    if (dryRun != null) {
      return dryRun;
    }
    if (errors.count() > 0) {
      return DryRun.Verdict.fail(String.join("; ", errors.messages()));
    }
    if (recorded == ItemAction.CREATED) {
      return DryRun.Verdict.create(null);
    }
    if (recorded == ItemAction.UPDATED) {
      return DryRun.Verdict.update(null, null);
    }
    return DryRun.Verdict.skip(null, warnings.count() > 0 ? String.join("; ", warnings.messages())
        : log.isEmpty() ? null : log.get(log.size() - 1));
  }
}
