package dev.rebound.coordinator.pipeline;

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
 * item key, so a redelivered item never counts twice. Only the fold changes it, on the log
 * reader's thread.
 */
final class RestoreRun {

  enum Stage { SUBMITTED, RUNNING, ENDED }

  final String name;
  final Restore request;
  /** The restore log's partition that holds every event of the restore: its owner drives it. */
  final int partition;
  final Map<String, ClusterRun> clusters = new LinkedHashMap<>();

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

  /** One restore into one cluster. */
  static final class ClusterRun {
    final String cluster;
    Stage stage = Stage.SUBMITTED;
    Restore resolved;
    List<RestoreEvent.WaveSummary> waves = List.of();
    int planErrors;
    int currentWave = -1;
    int expected;
    final Map<Integer, Set<ItemKey>> results = new HashMap<>();
    int itemErrors;
    /** This process is driving the cluster run (planning, publishing); recovery leaves it alone. */
    boolean driven;
    /** When this process last saw the current wave move (started, resumed, a new result). */
    java.time.Instant progressAt;
    /** An advance to the next wave (or the finish) has been started for {@link #currentWave}. */
    int advancedFrom = -1;
    /**
     * Where the plan's item tasks are recorded, from Planned; null before, and for a run planned by
     * a coordinator that did not record plans until this process plans it again.
     */
    StoredPlan stored;
    /** The keys of the wave this process last published: they name the items a stalled wave lacks. */
    WaveKeys waveKeys;
    /** Claims this restore created, {@code <namespace>/<name>}, from the results in the log. */
    final Set<String> restoredClaims = new HashSet<>();
    /** The volume patching started in this process; its end is in the log (VolumesPatched). */
    boolean volumePatchesStarted;
    boolean volumePatchesDone;
    int volumePatchErrors;
    /** PersistentVolumes created under a new name (reference 3.7), from the results in the log. */
    final Map<String, String> renamedVolumes = new HashMap<>();

    ClusterRun(String cluster) {
      this.cluster = cluster;
    }

    /** Pods with exec hooks to run (reference 3.13), from their results. */
    final Map<ItemKey, List<dev.rebound.model.pipeline.ExecHook>> hooks = new java.util.LinkedHashMap<>();
    /** Pods whose hooks ran (a HooksRun is in the log). */
    final Set<ItemKey> hooksRun = new HashSet<>();
    /** Pods whose hooks this process started running. */
    final Set<ItemKey> hooksStarted = new HashSet<>();
    /** Per pod, the hooks a coordinator recorded it was starting (HookStarted): never run again. */
    final Map<ItemKey, Set<String>> hooksBegun = new HashMap<>();
    int hookErrors;
    /** A pod's hooks failed: the restore's other pending hooks are not run (Velero cancels them). */
    boolean hooksCancelled;
    /** Every wave has all its results; the run ends once no hooks are pending. */
    boolean wavesDone;
    /** Finished is being appended. */
    boolean finishing;

    /** Pods with PodVolumeRestores to wait for (reference 6.2), from their results. */
    final Map<ItemKey, List<String>> volumes = new java.util.LinkedHashMap<>();
    /** When each pod's PodVolumeRestores were made: the pod-volume timeout counts from there. */
    final Map<ItemKey, java.time.Instant> volumesSince = new HashMap<>();
    /** Pods whose PodVolumeRestores ended (a PodVolumesRestored is in the log). */
    final Set<ItemKey> volumesRestored = new HashSet<>();
    /** Pods whose PodVolumeRestores this process is waiting for. */
    final Set<ItemKey> volumesAwaited = new HashSet<>();
    int volumeErrors;

    boolean volumesPending() {
      return !volumesRestored.containsAll(volumes.keySet());
    }

    int pendingVolumePods() {
      return (int) volumes.keySet().stream().filter(p -> !volumesRestored.contains(p)).count();
    }

    /** Records the end of a pod's volume restores; false for a second report of the same pod. */
    boolean record(RestoreEvent.PodVolumesRestored restored) {
      if (!volumesRestored.add(restored.pod())) {
        return false;
      }
      volumeErrors += restored.errors().size();
      return true;
    }

    boolean hooksPending() {
      return !hooksRun.containsAll(hooks.keySet());
    }

    void record(RestoreEvent.HookStarted started) {
      hooksBegun.computeIfAbsent(started.pod(), p -> new HashSet<>())
          .add(dev.rebound.coordinator.hooks.HookRunner.id(started.container(), started.hook()));
    }

    /** Records a pod's hook results; false for a second report of the same pod. */
    boolean record(RestoreEvent.HooksRun run) {
      if (!hooksRun.add(run.pod())) {
        return false;
      }
      hookErrors += run.errors().size();
      hooksCancelled |= !run.errors().isEmpty();
      return true;
    }

    /** Records a result; false when the key already had one (a redelivery). */
    boolean record(RestoreEvent.ItemRestored result) {
      if (!results.computeIfAbsent(result.wave(), w -> new HashSet<>()).add(result.key())) {
        return false;
      }
      if (result.action() == dev.rebound.model.pipeline.ItemAction.CREATED
          && result.key().resource().equals("v1/PersistentVolumeClaim")) {
        restoredClaims.add(result.key().namespace() + "/" + result.key().name());
      }
      itemErrors += result.errors().count();
      if (!result.execHooks().isEmpty()) {
        hooks.putIfAbsent(result.key(), result.execHooks());
      }
      if (!result.podVolumeRestores().isEmpty()) {
        volumes.putIfAbsent(result.key(), result.podVolumeRestores());
        volumesSince.putIfAbsent(result.key(), result.at());
      }
      if (result.createdAs() != null && result.key().resource().equals("v1/PersistentVolume")) {
        renamedVolumes.put(result.key().name(), result.createdAs());
      }
      return true;
    }

    boolean currentWaveComplete() {
      return currentWave >= 0 && results.getOrDefault(currentWave, Set.of()).size() >= expected;
    }

    Set<ItemKey> resultsOf(int wave) {
      return results.getOrDefault(wave, Set.of());
    }

    int errors() {
      return planErrors + itemErrors + hookErrors + volumeErrors + volumePatchErrors;
    }

    /**
     * The volume patches of claims this restore created, in their target namespaces; empty when the
     * plan had none or they ran (Velero patches only the claims its restore created).
     */
    List<dev.rebound.model.pipeline.PersistentVolumePatch> pendingVolumePatches(java.util.Map<String, String> mapping) {
      if (volumePatchesDone) {
        return List.of();
      }
      return (stored == null ? List.<dev.rebound.model.pipeline.PersistentVolumePatch>of() : stored.volumePatches())
          .stream()
          .map(p -> new dev.rebound.model.pipeline.PersistentVolumePatch(
              mapping.getOrDefault(p.pvcNamespace(), p.pvcNamespace()), p.pvcName(), p.pvName(), p.reclaimPolicy(),
              p.labels()))
          .filter(p -> restoredClaims.contains(p.pvcNamespace() + "/" + p.pvcName()))
          .toList();
    }

    /** The volume patches still to run, in the namespaces the restore maps to. */
    List<dev.rebound.model.pipeline.PersistentVolumePatch> pendingVolumePatches(Restore request) {
      var spec = spec(request);
      return pendingVolumePatches(spec == null || spec.namespaceMapping() == null ? java.util.Map.of()
          : spec.namespaceMapping());
    }

    /** The spec as planned (backup and schedule resolved), else as submitted. */
    dev.rebound.model.velero.RestoreSpec spec(Restore request) {
      return resolved != null ? resolved.spec() : request == null ? null : request.spec();
    }

    /** Records the end of the volume patching; false for a second report. */
    boolean record(RestoreEvent.VolumesPatched patched) {
      if (volumePatchesDone) {
        return false;
      }
      volumePatchesDone = true;
      volumePatchErrors += patched.errors().count();
      return true;
    }
  }
}
