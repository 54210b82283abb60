package dev.rebound.coordinator.pipeline;

import dev.rebound.coordinator.RestorePlanning;
import dev.rebound.coordinator.archive.CorruptBackupException;
import dev.rebound.model.pipeline.StoredPlan;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.RestoreStatus;
import dev.rebound.support.kube.TargetClusters;
import java.io.IOException;
import java.time.Clock;
import java.util.List;

/**
 * Plans a restore run for the {@link Coordinator} ({@link RestorePlanning}), records the plan's
 * item tasks ({@link PlanRecorder}) and the outcome in the log: Planned with the waves and where
 * the plan is recorded, or Rejected. A restart or a takeover resumes from the record; only a run
 * planned by a coordinator that did not record plans is planned again.
 */
final class RunPlanner {

  private final RestorePlanning planning;
  private final TargetClusters clusters;
  private final PlanRecorder recorder;
  private final Publisher publisher;
  private final Clock clock;

  RunPlanner(RestorePlanning planning, TargetClusters clusters, PlanRecorder recorder, Publisher publisher,
      Clock clock) {
    this.planning = planning;
    this.clusters = clusters;
    this.recorder = recorder;
    this.publisher = publisher;
    this.clock = clock;
  }

  /**
   * Validates and plans a submitted run and appends Planned (or Rejected); true when its first
   * wave is to start.
   */
  boolean plan(RestoreRun run, RestoreRun.ClusterRun c) throws IOException, CorruptBackupException {
    Released.check(run, c);
    if (!clusters.names().contains(c.cluster())) {
      Restore rejected = run.request.withStatus(RestoreStatus.failedValidation(List.of("unknown target cluster \""
          + c.cluster() + "\"; configured clusters: " + clusters.names())));
      publisher.append(new RestoreEvent.Rejected(run.name, c.cluster(), rejected, clock.instant()));
      return false;
    }
    RestorePlanning.Outcome outcome = planning.plan(run.request, c.cluster(), run.clusters.keySet());
    Released.check(run, c);
    if (outcome.plan().isEmpty()) {
      publisher.append(new RestoreEvent.Rejected(run.name, c.cluster(), outcome.restore(), clock.instant()));
      return false;
    }
    List<ExecutionWave> waves = ExecutionWave.of(outcome.plan().get());
    var plan = outcome.plan().get();
    Restore resolved = outcome.restore().withStatus(RestoreStatus.phase(RestorePhase.IN_PROGRESS));
    StoredPlan stored = recorder.record(run, c, resolved, outcome, waves);
    Released.check(run, c);
    List<RestoreEvent.WaveSummary> summaries = waves.stream().map(ExecutionWave::summary).toList();
    RestoreEvent.Planned planned = new RestoreEvent.Planned(run.name, c.cluster(), resolved, summaries, plan.warnings(),
        plan.errors(), clock.instant(), stored);
    publisher.append(planned);
    synchronized (run) {
      // Folded here, once appended: publishing must not wait for the reader to read it back (then a repeat).
      c.apply(planned);
    }
    return true;
  }

  /**
   * A run whose Planned names no recorded plan (written by a coordinator before plans were
   * recorded) is planned and recorded again when it is resumed; the record is this process's only.
   * False (and the run failed) when it can no longer be planned.
   */
  boolean replanUnrecorded(RestoreRun run, RestoreRun.ClusterRun c) throws IOException, CorruptBackupException {
    synchronized (run) {
      if (c.stored() != null) {
        return true;
      }
    }
    RestorePlanning.Outcome outcome = planning.plan(run.request, c.cluster(), run.clusters.keySet());
    if (outcome.plan().isEmpty()) {
      String reason = outcome.restore().status() == null ? "the restore can no longer be planned"
          : outcome.restore().status().failureReason() != null ? outcome.restore().status().failureReason()
          : String.join("; ", outcome.restore().status().validationErrors());
      publisher.append(new RestoreEvent.Finished(run.name, c.cluster(), RestorePhase.FAILED,
          "error resuming the restore: " + reason, clock.instant()));
      return false;
    }
    List<ExecutionWave> waves = ExecutionWave.of(outcome.plan().get());
    if (waves.size() != c.waves().size()) {
      publisher.append(new RestoreEvent.Finished(run.name, c.cluster(), RestorePhase.FAILED,
          "error resuming the restore: planned again it has " + waves.size() + " waves, not " + c.waves().size(),
          clock.instant()));
      return false;
    }
    StoredPlan stored = recorder.record(run, c, c.resolved() != null ? c.resolved() : outcome.restore(), outcome,
        waves);
    synchronized (run) {
      c.replanned = stored;
    }
    return true;
  }
}
