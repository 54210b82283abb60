package dev.rebound.coordinator.pipeline;

import dev.rebound.coordinator.RestorePlanning;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.RestoreStatus;
import dev.rebound.support.kube.TargetClusters;
import java.time.Clock;
import java.util.List;

/**
 * Plans a restore run for the {@link Coordinator} ({@link RestorePlanning}) and records the
 * outcome in the log: Planned with the waves, or Rejected; after a restart or a takeover, plans it
 * again (the plan is not in the log) or ends it Failed when it no longer can be.
 */
final class RunPlanner {

  private final RestorePlanning planning;
  private final TargetClusters clusters;
  private final Publisher publisher;
  private final Clock clock;

  RunPlanner(RestorePlanning planning, TargetClusters clusters, Publisher publisher, Clock clock) {
    this.planning = planning;
    this.clusters = clusters;
    this.publisher = publisher;
    this.clock = clock;
  }

  /**
   * Validates and plans a submitted run and appends Planned (or Rejected); true when its first
   * wave is to start.
   */
  boolean plan(RestoreRun run, RestoreRun.ClusterRun c) {
    Released.check(run, c);
    if (!clusters.names().contains(c.cluster)) {
      Restore rejected = run.request.withStatus(RestoreStatus.failedValidation(List.of("unknown target cluster \""
          + c.cluster + "\"; configured clusters: " + clusters.names())));
      publisher.append(new RestoreEvent.Rejected(run.name, c.cluster, rejected, clock.instant()));
      return false;
    }
    RestorePlanning.Outcome outcome = planning.plan(run.request, c.cluster);
    Released.check(run, c);
    if (outcome.plan().isEmpty()) {
      publisher.append(new RestoreEvent.Rejected(run.name, c.cluster, outcome.restore(), clock.instant()));
      return false;
    }
    c.adopt(outcome);
    List<ExecutionWave> waves = c.plan;
    var plan = outcome.plan().get();
    Restore resolved = outcome.restore().withStatus(RestoreStatus.phase(RestorePhase.IN_PROGRESS));
    publisher.append(new RestoreEvent.Planned(run.name, c.cluster, resolved,
        waves.stream().map(ExecutionWave::summary).toList(), plan.warnings(), plan.errors(), clock.instant()));
    synchronized (run) {
      // The fold sets it too, when it reads Planned back; publishing must not wait for that.
      c.resolved = resolved;
    }
    return true;
  }

  /** Plans again after a restart; the plan is not in the log. False (and the run failed) when it cannot be. */
  boolean replan(RestoreRun run, RestoreRun.ClusterRun c) {
    if (c.plan != null) {
      return true;
    }
    RestorePlanning.Outcome outcome = planning.plan(run.request, c.cluster);
    if (outcome.plan().isEmpty()) {
      String reason = outcome.restore().status() == null ? "the restore can no longer be planned"
          : outcome.restore().status().failureReason() != null ? outcome.restore().status().failureReason()
          : String.join("; ", outcome.restore().status().validationErrors());
      publisher.append(new RestoreEvent.Finished(run.name, c.cluster, RestorePhase.FAILED,
          "error resuming the restore: " + reason, clock.instant()));
      return false;
    }
    synchronized (run) {
      c.adopt(outcome); // seen by the fold, which reads the plan under the run's lock
    }
    return true;
  }
}
