package dev.rebound.model.pipeline;

import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.RestoreStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One restore into one cluster as its restore log tells it: the one fold of the log that the
 * coordinator (which drives the run from it) and the status-reporter (which reports it as Velero
 * would) both build on, so that both count the same items, errors, hooks and volumes and see the
 * same end. The first report of anything wins: an item redelivered and restored twice, a pod's hook
 * or volume results appended twice, a second end of the run (an append retried after a lost
 * answer) add nothing, and {@link #apply} says so. Each service adds its own projection when an
 * event is new: the coordinator its wave bookkeeping, the status-reporter the results, log and files.
 * Not thread-safe: the owner serialises access.
 */
public class ClusterFold {

  /** Where the run is: not planned yet, planned and restoring, ended (Rejected or Finished). */
  public enum Stage { SUBMITTED, RUNNING, ENDED }

  private final String cluster;
  private Stage stage = Stage.SUBMITTED;
  private RestorePhase phase = RestorePhase.NEW;
  private Restore resolved;
  private List<RestoreEvent.WaveSummary> waves = List.of();
  private StoredPlan plan;
  private int plannedItems;
  private Instant start;
  private Instant completion;
  private List<String> validationErrors = List.of();
  private String failureReason;
  private int currentWave = -1;
  private int expected;
  /** Per wave, the items with a result and Velero's action for each (null: nothing recorded). */
  private final Map<Integer, Map<ItemKey, ItemAction>> results = new HashMap<>();
  private int resultCount;
  private int recordedCount;
  private int warnings;
  private int planErrors;
  private int itemErrors;
  private int hookErrors;
  private int volumeErrors;
  private int patchErrors;
  private final Map<ItemKey, List<ExecHook>> hooks = new LinkedHashMap<>();
  private final Map<ItemKey, Set<String>> hooksBegun = new HashMap<>();
  private final Set<ItemKey> hooksRun = new HashSet<>();
  private int hooksAttempted;
  private int hooksFailed;
  private final Map<ItemKey, List<String>> volumes = new LinkedHashMap<>();
  private final Map<ItemKey, Instant> volumesSince = new HashMap<>();
  private final Set<ItemKey> volumesRestored = new HashSet<>();
  private boolean volumesPatched;

  public ClusterFold(String cluster) {
    this.cluster = cluster;
  }

  /**
   * The target cluster an event is about; null for the events of the whole restore
   * ({@code Submitted}, {@code FilesStored}).
   */
  public static String clusterOf(RestoreEvent event) {
    if (event instanceof RestoreEvent.Rejected e) {
      return e.cluster();
    } else if (event instanceof RestoreEvent.Planned e) {
      return e.cluster();
    } else if (event instanceof RestoreEvent.WaveStarted e) {
      return e.cluster();
    } else if (event instanceof RestoreEvent.ItemRestored e) {
      return e.cluster();
    } else if (event instanceof RestoreEvent.AwaitingHooks e) {
      return e.cluster();
    } else if (event instanceof RestoreEvent.HookStarted e) {
      return e.cluster();
    } else if (event instanceof RestoreEvent.HooksRun e) {
      return e.cluster();
    } else if (event instanceof RestoreEvent.AwaitingVolumes e) {
      return e.cluster();
    } else if (event instanceof RestoreEvent.PodVolumesRestored e) {
      return e.cluster();
    } else if (event instanceof RestoreEvent.VolumesPatched e) {
      return e.cluster();
    } else if (event instanceof RestoreEvent.Finished e) {
      return e.cluster();
    }
    return null; // Submitted, FilesStored, DeleteRequested, Deleted
  }

  /**
   * Folds an event of this cluster's run. False when it adds nothing: a repeat of something already
   * reported (first wins), a second plan or end, a wait announced after the end, or an event of the
   * whole restore.
   */
  public boolean apply(RestoreEvent event) {
    if (event instanceof RestoreEvent.Rejected rejected) {
      return rejected(rejected);
    } else if (event instanceof RestoreEvent.Planned planned) {
      return planned(planned);
    } else if (event instanceof RestoreEvent.WaveStarted started) {
      currentWave = started.wave();
      expected = started.items();
      return true;
    } else if (event instanceof RestoreEvent.ItemRestored result) {
      return result(result);
    } else if (event instanceof RestoreEvent.HookStarted started) {
      return hooksBegun.computeIfAbsent(started.pod(), p -> new HashSet<>())
          .add(hookId(started.container(), started.hook()));
    } else if (event instanceof RestoreEvent.HooksRun run) {
      if (!hooksRun.add(run.pod())) {
        return false;
      }
      hooksAttempted += run.attempted();
      hooksFailed += run.failed();
      hookErrors += run.errors().size();
      return true;
    } else if (event instanceof RestoreEvent.PodVolumesRestored restored) {
      if (!volumesRestored.add(restored.pod())) {
        return false;
      }
      volumeErrors += restored.errors().size();
      return true;
    } else if (event instanceof RestoreEvent.VolumesPatched patched) {
      if (volumesPatched) {
        return false;
      }
      volumesPatched = true;
      patchErrors += patched.errors().count();
      return true;
    } else if (event instanceof RestoreEvent.AwaitingHooks || event instanceof RestoreEvent.AwaitingVolumes) {
      return stage != Stage.ENDED;
    } else if (event instanceof RestoreEvent.Finished finished) {
      if (stage == Stage.ENDED) {
        return false;
      }
      stage = Stage.ENDED;
      phase = finished.phase();
      failureReason = finished.failureReason();
      completion = finished.at();
      return true;
    }
    return false; // Submitted, FilesStored: not a cluster's
  }

  private boolean rejected(RestoreEvent.Rejected rejected) {
    if (stage == Stage.ENDED) {
      return false;
    }
    stage = Stage.ENDED;
    RestoreStatus status = rejected.outcome().status();
    resolved = rejected.outcome();
    phase = status == null ? RestorePhase.FAILED : status.phase();
    if (status != null && status.validationErrors() != null) {
      validationErrors = List.copyOf(status.validationErrors());
    }
    if (phase == RestorePhase.FAILED) {
      failureReason = status == null ? null : status.failureReason();
      // Past validation: Velero set startTimestamp before reading the backup (reference 2.2).
      start = status != null && status.startTimestamp() != null ? status.startTimestamp() : rejected.at();
      completion = rejected.at();
    }
    return true;
  }

  private boolean planned(RestoreEvent.Planned planned) {
    if (stage != Stage.SUBMITTED) {
      return false; // planned once: a second Planned (none is appended today) changes nothing
    }
    stage = Stage.RUNNING;
    phase = RestorePhase.IN_PROGRESS;
    resolved = planned.resolved();
    waves = planned.waves();
    plan = planned.plan();
    plannedItems = planned.totalItems();
    start = planned.at();
    warnings += planned.warnings().count();
    planErrors = planned.errors().count();
    return true;
  }

  private boolean result(RestoreEvent.ItemRestored result) {
    Map<ItemKey, ItemAction> wave = results.computeIfAbsent(result.wave(), w -> new HashMap<>());
    if (wave.containsKey(result.key())) {
      return false; // a redelivered item: already counted
    }
    wave.put(result.key(), result.action());
    resultCount++;
    if (result.action() != null) {
      recordedCount++;
    }
    warnings += result.warnings().count();
    itemErrors += result.errors().count();
    if (!result.execHooks().isEmpty()) {
      hooks.putIfAbsent(result.key(), result.execHooks());
    }
    if (!result.podVolumeRestores().isEmpty()) {
      volumes.putIfAbsent(result.key(), result.podVolumeRestores());
      volumesSince.putIfAbsent(result.key(), result.at());
    }
    return true;
  }

  /** How a hook is named in {@link #hooksBegun}: {@code <container>/<hook>}. */
  public static String hookId(String container, String hook) {
    return container + "/" + hook;
  }

  public String cluster() {
    return cluster;
  }

  /**
   * Whether a restore that ended in these cluster runs has files under {@code restores/<name>/}:
   * Velero writes them for a restore whose items ran (a cluster Completed or PartiallyFailed), and
   * Rebound for a canceled one too (they list what it restored); none for FailedValidation or Failed
   * everywhere. The status-reporter writes them, the coordinator deletes them only after.
   */
  public static boolean writesFiles(java.util.Collection<? extends ClusterFold> runs) {
    return runs.stream().anyMatch(c -> c.phase() == RestorePhase.COMPLETED || c.phase() == RestorePhase.PARTIALLY_FAILED
        || c.phase() == RestorePhase.CANCELED);
  }

  public Stage stage() {
    return stage;
  }

  /** New until planned or rejected; InProgress while it runs; the phase it ended with. */
  public RestorePhase phase() {
    return phase;
  }

  /** The Restore as planned (or as rejected); null before. */
  public Restore resolved() {
    return resolved;
  }

  public List<RestoreEvent.WaveSummary> waves() {
    return waves;
  }

  /** Where the plan's tasks are recorded, from Planned; null before, and for a run planned unrecorded. */
  public StoredPlan plan() {
    return plan;
  }

  public int plannedItems() {
    return plannedItems;
  }

  public Instant start() {
    return start;
  }

  public Instant completion() {
    return completion;
  }

  public List<String> validationErrors() {
    return validationErrors;
  }

  public String failureReason() {
    return failureReason;
  }

  /** The wave last started, -1 before the first. */
  public int currentWave() {
    return currentWave;
  }

  /** The items of the current wave. */
  public int expected() {
    return expected;
  }

  public boolean currentWaveComplete() {
    return currentWave >= 0 && resultsOf(currentWave).size() >= expected;
  }

  /** The items of a wave with a result. */
  public Set<ItemKey> resultsOf(int wave) {
    return results.getOrDefault(wave, Map.of()).keySet();
  }

  /** Items with a result, over every wave. */
  public int resultCount() {
    return resultCount;
  }

  /** Items Velero records (with an action), over every wave. */
  public int recordedCount() {
    return recordedCount;
  }

  /** The items Velero records, with their action (a namespace that existed has a result but no record). */
  public Map<ItemKey, ItemAction> recorded() {
    Map<ItemKey, ItemAction> recorded = new HashMap<>();
    results.values().forEach(wave -> wave.forEach((key, action) -> {
      if (action != null) {
        recorded.put(key, action);
      }
    }));
    return recorded;
  }

  public int warnings() {
    return warnings;
  }

  /** Velero's error count of the run: from planning, items, hooks, volume data and volume patches. */
  public int errors() {
    return planErrors + itemErrors + hookErrors + volumeErrors + patchErrors;
  }

  /** Pods with exec hooks to run (reference 3.13), from their results. */
  public Map<ItemKey, List<ExecHook>> hooks() {
    return hooks;
  }

  /** Per pod, the hooks a coordinator recorded it was starting (HookStarted), by {@link #hookId}. */
  public Set<String> hooksBegun(ItemKey pod) {
    return hooksBegun.getOrDefault(pod, Set.of());
  }

  /** Pods whose hook results are in. */
  public Set<ItemKey> hooksRun() {
    return hooksRun;
  }

  public boolean hooksPending() {
    return !hooksRun.containsAll(hooks.keySet());
  }

  public int pendingHooks() {
    return (int) hooks.keySet().stream().filter(p -> !hooksRun.contains(p)).count();
  }

  public int hooksAttempted() {
    return hooksAttempted;
  }

  public int hooksFailed() {
    return hooksFailed;
  }

  /** Pods with PodVolumeRestores to wait for (reference 6.2), from their results. */
  public Map<ItemKey, List<String>> volumes() {
    return volumes;
  }

  /** When a pod's PodVolumeRestores were made: its volume timeout counts from there. */
  public Instant volumesSince(ItemKey pod) {
    return volumesSince.get(pod);
  }

  /** Pods whose PodVolumeRestores ended. */
  public Set<ItemKey> volumesRestored() {
    return volumesRestored;
  }

  public boolean volumesPending() {
    return !volumesRestored.containsAll(volumes.keySet());
  }

  public int pendingVolumePods() {
    return (int) volumes.keySet().stream().filter(p -> !volumesRestored.contains(p)).count();
  }

  /** The re-provisioned volumes' patching ended. */
  public boolean volumesPatched() {
    return volumesPatched;
  }
}
