package dev.rebound.coordinator.pipeline;

import dev.rebound.model.pipeline.ClusterFold;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.StoredPlan;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.Restore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The coordinator's view of one restore, folded from its events: what has been planned, which
 * wave is running in each cluster, which of its items have a result. Results are deduplicated by
 * item key, so a redelivered item never counts twice. Changed with the run locked: by the fold on
 * the log reader's thread, and by the planner, which folds its own Planned once it is appended.
 */
final class RestoreRun {

  final String name;
  final Restore request;
  /** The restore log's partition that holds every event of the restore: its owner drives it. */
  final int partition;
  final Map<String, ClusterRun> clusters = new LinkedHashMap<>();
  /** Its deletion, asked for while it ran (after its cancel): carried out once it ended; else null. */
  RestoreEvent.DeleteRequested deletion;
  /** The cancel of the run (the first for its uid in the log), null while it is not canceled. */
  RestoreEvent.CancelRequested cancel;

  RestoreRun(RestoreEvent.Submitted submitted, int partition) {
    this.name = submitted.restore();
    this.partition = partition;
    this.request = submitted.request();
    submitted.clusters().forEach(c -> clusters.put(c, new ClusterRun(c)));
  }

  /** The run into {@code cluster}, made when an event names a cluster the submission did not. */
  ClusterRun cluster(String cluster) {
    return clusters.computeIfAbsent(cluster, ClusterRun::new);
  }

  /** The item keys of one wave. */
  record WaveKeys(int wave, Set<ItemKey> keys) {}

  /**
   * One restore into one cluster: the log's facts ({@link ClusterFold}, folded as the
   * status-reporter folds them) and what this process does with them.
   */
  static final class ClusterRun extends ClusterFold {
    /** This process is driving the cluster run (planning, publishing); recovery leaves it alone. */
    boolean driven;
    /** When this process last saw the current wave move (started, resumed, a new result). */
    java.time.Instant progressAt;
    /** An advance to the next wave (or the finish) has been started for the current wave. */
    int advancedFrom = -1;
    /** The wave whose WaveStarted this process is appending, until the fold reads it; -1 when none. */
    int waveStarting = -1;
    /** The plan recorded again by this process for a run planned by a coordinator that recorded none. */
    StoredPlan replanned;
    /** The keys of the wave this process last published: they name the items a stalled wave lacks. */
    WaveKeys waveKeys;
    /** Claims this restore created, {@code <namespace>/<name>}, from the results in the log. */
    final Set<String> restoredClaims = new HashSet<>();
    /** The volume patching started in this process; its end is in the log (VolumesPatched). */
    boolean volumePatchesStarted;
    /** PersistentVolumes created under a new name (reference 3.7), from the results in the log. */
    final Map<String, String> renamedVolumes = new HashMap<>();
    /** Pods whose hooks this process started running. */
    final Set<ItemKey> hooksStarted = new HashSet<>();
    /** A pod's hooks failed: the restore's other pending hooks are not run (Velero cancels them). */
    boolean hooksCancelled;
    /** Every wave has all its results; the run ends once no hooks are pending. */
    boolean wavesDone;
    /** Finished is being appended. */
    boolean finishing;
    /** Pods whose PodVolumeRestores this process is waiting for. */
    final Set<ItemKey> volumesAwaited = new HashSet<>();

    ClusterRun(String cluster) {
      super(cluster);
    }

    /**
     * Where the plan's item tasks are recorded: from Planned, or recorded again here for a run whose
     * Planned names none; null before.
     */
    StoredPlan stored() {
      return replanned != null ? replanned : plan();
    }

    /** Folds a result; false when the key already had one (a redelivery). */
    boolean record(RestoreEvent.ItemRestored result) {
      if (!apply(result)) {
        return false;
      }
      if (result.action() == dev.rebound.model.pipeline.ItemAction.CREATED
          && result.key().resource().equals("v1/PersistentVolumeClaim")) {
        restoredClaims.add(result.key().namespace() + "/" + result.key().name());
      }
      if (result.createdAs() != null && result.key().resource().equals("v1/PersistentVolume")) {
        renamedVolumes.put(result.key().name(), result.createdAs());
      }
      return true;
    }

    /** Folds a pod's hook results; false for a second report of the same pod. */
    boolean record(RestoreEvent.HooksRun run) {
      if (!apply(run)) {
        return false;
      }
      hooksCancelled |= !run.errors().isEmpty();
      return true;
    }

    /**
     * The volume patches still to run: those of claims this restore created, in the namespaces the
     * restore maps to in this cluster; empty when the plan had none, they ran, or in a dry run
     * (Velero patches only the claims its restore created).
     */
    List<dev.rebound.model.pipeline.PersistentVolumePatch> pendingVolumePatches(Restore request) {
      StoredPlan stored = stored();
      if (dev.rebound.model.pipeline.DryRun.requested(request) || volumesPatched() || stored == null
          || stored.volumePatches().isEmpty()) {
        return List.of(); // no plan recorded means no patch (and a part that failed validation has none)
      }
      var spec = spec(request);
      java.util.Map<String, String> mapping = spec == null ? java.util.Map.of()
          : java.util.Objects.requireNonNullElse(dev.rebound.model.validation.ClusterNamespaceMappings.forCluster(
              request, spec, cluster()).namespaceMapping(), java.util.Map.of());
      return stored.volumePatches().stream()
          .map(p -> new dev.rebound.model.pipeline.PersistentVolumePatch(
              mapping.getOrDefault(p.pvcNamespace(), p.pvcNamespace()), p.pvcName(), p.pvName(), p.reclaimPolicy(),
              p.labels()))
          .filter(p -> restoredClaims.contains(p.pvcNamespace() + "/" + p.pvcName()))
          .toList();
    }

    /** The spec as planned (backup and schedule resolved), else as submitted. */
    dev.rebound.model.velero.RestoreSpec spec(Restore request) {
      return resolved() != null ? resolved().spec() : request == null ? null : request.spec();
    }
  }
}
