package dev.rebound.coordinator.pipeline;

import dev.rebound.model.pipeline.ClusterFold;
import dev.rebound.model.pipeline.ExecHook;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.PersistentVolumePatch;
import dev.rebound.model.pipeline.RestoreCancel;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.RestorePhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The coordinator's decisions, as a pure state machine: restore events in (folded into the
 * {@link RestoreRun}), commands out. It never talks to Kafka, S3 or a cluster; the
 * {@link Coordinator} carries the commands out (planning, publishing, hooks, waits, appends) and
 * feeds back what the log then says. Every method is called with the run locked.
 */
final class RunMachine {

  private RunMachine() {}

  /** What the machine asks its driver to do. */
  sealed interface Command permits Plan, StartWave, Republish, RunHooks, AwaitVolumes, PatchVolumes, Append, Fence {}

  /** Validate and plan the cluster run, record its plan, then start its first wave. */
  record Plan(String cluster) implements Command {}

  /** Start wave {@code wave} (append WaveStarted, publish its tasks), or end the waves when it is past the last. */
  record StartWave(String cluster, int wave) implements Command {}

  /** Publish again the items of the current wave that have no result (a resumed run). */
  record Republish(String cluster, int wave) implements Command {}

  /** Run a restored pod's exec hooks (once per pod and process). */
  record RunHooks(String cluster, ItemKey pod, List<ExecHook> hooks) implements Command {}

  /** Wait for a restored pod's PodVolumeRestores (once per pod and process). */
  record AwaitVolumes(String cluster, ItemKey pod) implements Command {}

  /** Give re-provisioned volumes their backed-up reclaim policy and labels (6.3 step 6). */
  record PatchVolumes(String cluster, List<PersistentVolumePatch> patches) implements Command {}

  /** Append this event to the restore's log, trying again until the broker takes it. */
  record Append(RestoreEvent event) implements Command {}

  /** Fence a canceled restore's items off: item-restorers skip those they have not restored yet. */
  record Fence(RestoreCancel cancel) implements Command {}

  /**
   * Folds an event of the run (not Submitted: the run is made from it) and decides.
   *
   * @param replayed the event was in the log before this instance drove the run: folded, never acted on
   */
  static List<Command> apply(RestoreRun run, RestoreEvent event, boolean replayed, Instant now) {
    List<Command> out = new ArrayList<>();
    String cluster = ClusterFold.clusterOf(event);
    if (cluster == null) {
      return out;
    }
    RestoreRun.ClusterRun c = run.cluster(cluster);
    if (event instanceof RestoreEvent.WaveStarted started) {
      c.apply(event);
      if (c.waveStarting == started.wave()) {
        c.waveStarting = -1;
      }
      c.progressAt = now;
      if (acting(c, replayed)) {
        advanceIfComplete(run, c, now, out);
      }
    } else if (event instanceof RestoreEvent.ItemRestored result) {
      boolean recorded = c.record(result);
      if (recorded && result.wave() == c.currentWave()) {
        c.progressAt = now;
      }
      if (recorded && acting(c, replayed)) {
        if (!result.execHooks().isEmpty()) {
          out.add(new RunHooks(c.cluster(), result.key(), result.execHooks()));
        }
        if (!result.podVolumeRestores().isEmpty()) {
          out.add(new AwaitVolumes(c.cluster(), result.key()));
        }
        if (result.wave() == c.currentWave()) {
          advanceIfComplete(run, c, now, out);
        }
      }
    } else if (event instanceof RestoreEvent.PodVolumesRestored) {
      if (c.apply(event) && acting(c, replayed)) {
        if (c.wavesDone && !c.volumesPending() && c.hooksPending()) {
          out.add(new Append(new RestoreEvent.AwaitingHooks(run.name, c.cluster(), c.pendingHooks(), now)));
        }
        finishIfDone(run, c, now, out);
      }
    } else if (event instanceof RestoreEvent.VolumesPatched) {
      if (c.apply(event) && acting(c, replayed)) {
        finishIfDone(run, c, now, out);
      }
    } else if (event instanceof RestoreEvent.HooksRun hooksRun) {
      if (c.record(hooksRun) && acting(c, replayed)) {
        finishIfDone(run, c, now, out);
      }
    } else if (event instanceof RestoreEvent.Finished) {
      if (c.apply(event)) {
        c.waveKeys = null;
        c.hooksCancelled = true; // hooks still waiting for their containers give up
      }
    } else {
      c.apply(event); // Rejected, Planned, HookStarted, AwaitingHooks, AwaitingVolumes: facts only
    }
    return out;
  }

  /**
   * This instance starts driving a cluster run (it was submitted now, or its partition came to
   * this instance): the waits and hooks the log shows without an end, then the run's next step.
   */
  static List<Command> drive(RestoreRun run, RestoreRun.ClusterRun c, Instant now) {
    List<Command> out = new ArrayList<>();
    c.driven = true;
    c.progressAt = now;
    if (run.cancel != null) {
      // Canceled: nothing new starts. The fence is written again (the previous owner may have died
      // before it did), and the current wave's items without a result are published again, for the
      // item-restorers to skip them, so that the run ends once every item it published has its result.
      out.add(new Fence(fenceOf(run)));
      if (c.stage() == ClusterFold.Stage.RUNNING && c.currentWave() >= 0 && !c.currentWaveComplete()) {
        out.add(new Republish(c.cluster(), c.currentWave()));
      } else {
        endIfCanceled(run, c, now, out);
      }
      return out;
    }
    // Volume restores the log has no end for are waited for (again), from when they were made.
    c.volumes().keySet().stream().filter(pod -> !c.volumesRestored().contains(pod))
        .forEach(pod -> out.add(new AwaitVolumes(c.cluster(), pod)));
    // Hooks whose results the log does not have run (again): they may have been cut short.
    c.hooks().forEach((pod, hooks) -> {
      if (!c.hooksRun().contains(pod)) {
        out.add(new RunHooks(c.cluster(), pod, hooks));
      }
    });
    if (c.stage() == ClusterFold.Stage.SUBMITTED) {
      out.add(new Plan(c.cluster()));
    } else if (c.currentWave() < 0) {
      out.add(new StartWave(c.cluster(), 0));
    } else if (c.currentWaveComplete()) {
      c.advancedFrom = c.currentWave();
      out.add(new StartWave(c.cluster(), c.currentWave() + 1));
    } else {
      out.add(new Republish(c.cluster(), c.currentWave()));
    }
    return out;
  }

  /** Another instance drives the run from now on: this one decides nothing more for it. */
  static void release(RestoreRun.ClusterRun c) {
    c.driven = false;
    c.advancedFrom = -1;
  }

  /**
   * Every wave has its results: the volume patches, then the end of the run once the volume
   * restores and hooks it waits for ended (Velero waits for both: WaitingForPluginOperations, then
   * Finalizing, announced by AwaitingVolumes and AwaitingHooks).
   */
  static List<Command> wavesDone(RestoreRun run, RestoreRun.ClusterRun c, Instant now) {
    List<Command> out = new ArrayList<>();
    c.wavesDone = true;
    List<PersistentVolumePatch> patches = c.pendingVolumePatches(run.request);
    if (!patches.isEmpty() && !c.volumePatchesStarted) {
      out.add(new PatchVolumes(c.cluster(), patches));
    }
    int pendingVolumes = c.pendingVolumePods();
    int pendingHooks = c.pendingHooks();
    finishIfDone(run, c, now, out);
    if (pendingVolumes > 0) {
      out.add(new Append(new RestoreEvent.AwaitingVolumes(run.name, c.cluster(), pendingVolumes, now)));
    } else if (pendingHooks > 0) {
      out.add(new Append(new RestoreEvent.AwaitingHooks(run.name, c.cluster(), pendingHooks, now)));
    }
    return out;
  }

  /**
   * A cancel of the run (the first wins; one naming another uid is ignored): its hooks still to run
   * are given up, every cluster run it drives is fenced and ends {@code Canceled} as soon as its
   * current wave has every result (at once when no wave is running).
   */
  static List<Command> cancel(RestoreRun run, RestoreEvent.CancelRequested request, boolean replayed, Instant now) {
    List<Command> out = new ArrayList<>();
    String uid = run.request.metadata() == null ? null : run.request.metadata().uid();
    if (run.cancel != null || request.uid() == null || !request.uid().equals(uid)) {
      return out;
    }
    run.cancel = request;
    run.clusters.values().forEach(c -> c.hooksCancelled = true);
    if (replayed || run.clusters.values().stream().noneMatch(c -> acting(c, false))) {
      return out;
    }
    out.add(new Fence(fenceOf(run)));
    run.clusters.values().stream().filter(c -> acting(c, false)).forEach(c -> endIfCanceled(run, c, now, out));
    return out;
  }

  /**
   * A driver thread is about to start a wave of a canceled run (its plan was being made, or its
   * previous wave just completed): it starts none, and the run ends Canceled.
   */
  static List<Command> canceledBeforeWave(RestoreRun run, RestoreRun.ClusterRun c, Instant now) {
    List<Command> out = new ArrayList<>();
    if (run.cancel != null && c.stage() != ClusterFold.Stage.ENDED) {
      endIfCanceled(run, c, now, out);
    }
    return out;
  }

  private static RestoreCancel fenceOf(RestoreRun run) {
    return new RestoreCancel(run.name, run.cancel.uid(), run.cancel.at());
  }

  /**
   * Ends a canceled cluster run once nothing it published lacks a result: its current wave is
   * complete, or no wave started. Pending hooks, volume waits and volume patches are given up.
   */
  private static void endIfCanceled(RestoreRun run, RestoreRun.ClusterRun c, Instant now, List<Command> out) {
    if (c.finishing || c.stage() == ClusterFold.Stage.ENDED) {
      return;
    }
    // A wave being started (its WaveStarted on its way to the log) is not settled: its items may be
    // published; the run ends once they have their results.
    boolean settled = c.waveStarting < 0 && (c.stage() == ClusterFold.Stage.SUBMITTED || c.currentWave() < 0
        || c.currentWaveComplete());
    if (!settled) {
      return;
    }
    c.finishing = true;
    out.add(new Append(new RestoreEvent.Finished(run.name, c.cluster(), RestorePhase.CANCELED,
        "restore canceled by " + run.cancel.by(), now)));
  }

  private static boolean acting(RestoreRun.ClusterRun c, boolean replayed) {
    return !replayed && c.driven && c.stage() != ClusterFold.Stage.ENDED;
  }

  private static void advanceIfComplete(RestoreRun run, RestoreRun.ClusterRun c, Instant now, List<Command> out) {
    if (run.cancel != null) {
      endIfCanceled(run, c, now, out);
    } else if (c.currentWaveComplete() && c.advancedFrom != c.currentWave()) {
      c.advancedFrom = c.currentWave();
      out.add(new StartWave(c.cluster(), c.currentWave() + 1));
    }
  }

  /** Ends the run once every wave has its results and nothing it waits for is pending. */
  private static void finishIfDone(RestoreRun run, RestoreRun.ClusterRun c, Instant now, List<Command> out) {
    if (!c.wavesDone || c.volumesPending() || c.hooksPending() || c.finishing
        || !c.pendingVolumePatches(run.request).isEmpty()) {
      return;
    }
    c.finishing = true;
    RestorePhase phase = c.errors() > 0 ? RestorePhase.PARTIALLY_FAILED : RestorePhase.COMPLETED;
    out.add(new Append(new RestoreEvent.Finished(run.name, c.cluster(), phase, null, now)));
  }
}
