package dev.rebound.coordinator.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.coordinator.pipeline.RunMachine.Append;
import dev.rebound.coordinator.pipeline.RunMachine.AwaitVolumes;
import dev.rebound.coordinator.pipeline.RunMachine.Command;
import dev.rebound.coordinator.pipeline.RunMachine.Plan;
import dev.rebound.coordinator.pipeline.RunMachine.Republish;
import dev.rebound.coordinator.pipeline.RunMachine.RunHooks;
import dev.rebound.coordinator.pipeline.RunMachine.StartWave;
import dev.rebound.model.pipeline.ClusterFold;
import dev.rebound.model.pipeline.ExecHook;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.model.velero.Result;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The coordinator's decisions without Kafka, S3 or a cluster: events in, commands out. */
class RunMachineTest {

  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
  private static final String CLUSTER = "default";
  private static final ItemKey NS = new ItemKey("v1/Namespace", "", "shop");
  private static final ItemKey CM = new ItemKey("v1/ConfigMap", "shop", "settings");
  private static final ItemKey POD = new ItemKey("v1/Pod", "shop", "web-0");
  private static final ExecHook HOOK = new ExecHook("warm", "spec", 0, "web", List.of("/bin/true"), "Fail", 30_000,
      60_000, false);

  private static RestoreRun submitted() {
    Restore request = new Restore("velero.io/v1", "Restore", null, RestoreSpec.fromBackup("nightly"), null);
    return new RestoreRun(new RestoreEvent.Submitted("r1", request, List.of(CLUSTER), NOW), 0);
  }

  private static RestoreEvent.Planned planned(int... waveSizes) {
    List<RestoreEvent.WaveSummary> waves = new java.util.ArrayList<>();
    for (int i = 0; i < waveSizes.length; i++) {
      waves.add(new RestoreEvent.WaveSummary(i, "wave-" + i, waveSizes[i]));
    }
    return new RestoreEvent.Planned("r1", CLUSTER, null, waves, Result.empty(), Result.empty(), NOW);
  }

  private static RestoreEvent.ItemRestored result(int wave, ItemKey key, ItemAction action, Result errors) {
    return new RestoreEvent.ItemRestored("r1", CLUSTER, wave, key, action, Result.empty(), errors, List.of(), "w",
        NOW);
  }

  private static List<Command> apply(RestoreRun run, RestoreEvent event) {
    return RunMachine.apply(run, event, false, NOW);
  }

  /** A run driven by this instance, planned with these waves, its first wave started. */
  private static RestoreRun running(int... waveSizes) {
    RestoreRun run = submitted();
    assertEquals(List.of(new Plan(CLUSTER)), RunMachine.drive(run, run.cluster(CLUSTER), NOW));
    assertEquals(List.of(), apply(run, planned(waveSizes)));
    assertEquals(List.of(), apply(run, new RestoreEvent.WaveStarted("r1", CLUSTER, 0, waveSizes[0], NOW)));
    return run;
  }

  @Test
  void eachWaveStartsOnceWhenItsLastItemHasAResultAndARedeliveryCountsOnce() {
    RestoreRun run = running(1, 1);
    assertEquals(List.of(new StartWave(CLUSTER, 1)), apply(run, result(0, NS, ItemAction.CREATED, Result.empty())));
    assertEquals(List.of(), apply(run, result(0, NS, ItemAction.CREATED, Result.empty())), "a redelivered result");
    assertEquals(List.of(), apply(run, new RestoreEvent.WaveStarted("r1", CLUSTER, 1, 1, NOW)));
    assertEquals(List.of(new StartWave(CLUSTER, 2)), apply(run, result(1, CM, ItemAction.CREATED, Result.empty())));
    assertEquals(1, run.cluster(CLUSTER).resultsOf(1).size());
  }

  @Test
  void afterTheLastWaveTheRunFinishesCompletedOrPartiallyFailedWithItsErrors() {
    RestoreRun run = running(1);
    apply(run, result(0, CM, ItemAction.FAILED, Result.empty().add("shop", "error restoring configmaps/shop/settings")));
    List<Command> done = RunMachine.wavesDone(run, run.cluster(CLUSTER), NOW);
    assertEquals(List.of(new Append(new RestoreEvent.Finished("r1", CLUSTER, RestorePhase.PARTIALLY_FAILED, null,
        NOW))), done);
    assertEquals(List.of(), RunMachine.wavesDone(run, run.cluster(CLUSTER), NOW), "finished once");

    RestoreRun clean = running(1);
    apply(clean, result(0, CM, ItemAction.CREATED, Result.empty()));
    assertEquals(List.of(new Append(new RestoreEvent.Finished("r1", CLUSTER, RestorePhase.COMPLETED, null, NOW))),
        RunMachine.wavesDone(clean, clean.cluster(CLUSTER), NOW));
  }

  @Test
  void aPodsHooksRunThenTheRunWaitsForThemAndFinishesWhenTheyRan() {
    RestoreRun run = running(1);
    RestoreEvent.ItemRestored pod = new RestoreEvent.ItemRestored("r1", CLUSTER, 0, POD, ItemAction.CREATED,
        Result.empty(), Result.empty(), List.of(), "w", NOW, null, List.of(HOOK), List.of(), null);
    assertEquals(List.of(new RunHooks(CLUSTER, POD, List.of(HOOK)), new StartWave(CLUSTER, 1)), apply(run, pod));
    assertEquals(List.of(new Append(new RestoreEvent.AwaitingHooks("r1", CLUSTER, 1, NOW))),
        RunMachine.wavesDone(run, run.cluster(CLUSTER), NOW));
    assertEquals(List.of(new Append(new RestoreEvent.Finished("r1", CLUSTER, RestorePhase.COMPLETED, null, NOW))),
        apply(run, new RestoreEvent.HooksRun("r1", CLUSTER, POD, 1, 0, List.of(), List.of(), NOW)));
    assertEquals(List.of(), apply(run, new RestoreEvent.HooksRun("r1", CLUSTER, POD, 1, 0, List.of(), List.of(), NOW)),
        "a second report of the same pod's hooks");
  }

  @Test
  void aPodsVolumeRestoresAreAwaitedBeforeItsHooksAreAnnouncedAndTheRunEnds() {
    RestoreRun run = running(1);
    RestoreEvent.ItemRestored pod = new RestoreEvent.ItemRestored("r1", CLUSTER, 0, POD, ItemAction.CREATED,
        Result.empty(), Result.empty(), List.of(), "w", NOW, null, List.of(HOOK), List.of("pvr-1"), null);
    List<Command> commands = apply(run, pod);
    assertEquals(List.of(new RunHooks(CLUSTER, POD, List.of(HOOK)), new AwaitVolumes(CLUSTER, POD),
        new StartWave(CLUSTER, 1)), commands);
    assertEquals(List.of(new Append(new RestoreEvent.AwaitingVolumes("r1", CLUSTER, 1, NOW))),
        RunMachine.wavesDone(run, run.cluster(CLUSTER), NOW));
    assertEquals(List.of(new Append(new RestoreEvent.AwaitingHooks("r1", CLUSTER, 1, NOW))),
        apply(run, new RestoreEvent.PodVolumesRestored("r1", CLUSTER, POD, 1, 1, 10, List.of(), List.of(), NOW,
            List.of(), List.of())));
    assertEquals(List.of(new Append(new RestoreEvent.Finished("r1", CLUSTER, RestorePhase.COMPLETED, null, NOW))),
        apply(run, new RestoreEvent.HooksRun("r1", CLUSTER, POD, 1, 0, List.of(), List.of(), NOW)));
  }

  @Test
  void replayedEventsAreFoldedButDecideNothing() {
    RestoreRun run = submitted();
    assertEquals(List.of(), RunMachine.apply(run, planned(1, 1), true, NOW));
    assertEquals(List.of(), RunMachine.apply(run, new RestoreEvent.WaveStarted("r1", CLUSTER, 0, 1, NOW), true, NOW));
    assertEquals(List.of(), RunMachine.apply(run, result(0, NS, ItemAction.CREATED, Result.empty()), true, NOW));
    assertTrue(run.cluster(CLUSTER).currentWaveComplete(), "folded all the same");
  }

  @Test
  void aTakeoverResumesWhereTheLogStopsAndRunsTheHooksWithoutResults() {
    // Wave 0 complete: the next wave starts.
    RestoreRun complete = submitted();
    RunMachine.apply(complete, planned(1, 1), true, NOW);
    RunMachine.apply(complete, new RestoreEvent.WaveStarted("r1", CLUSTER, 0, 1, NOW), true, NOW);
    RunMachine.apply(complete, result(0, NS, ItemAction.CREATED, Result.empty()), true, NOW);
    assertEquals(List.of(new StartWave(CLUSTER, 1)), RunMachine.drive(complete, complete.cluster(CLUSTER), NOW));
    assertEquals(List.of(), apply(complete, new RestoreEvent.WaveStarted("r1", CLUSTER, 0, 1, NOW)),
        "no second advance from the same wave");

    // Wave 1 half done, a pod's hooks without a result: they run, and the wave's missing items go out again.
    RestoreRun half = submitted();
    RunMachine.apply(half, planned(1, 2), true, NOW);
    RunMachine.apply(half, new RestoreEvent.WaveStarted("r1", CLUSTER, 0, 1, NOW), true, NOW);
    RunMachine.apply(half, result(0, NS, ItemAction.CREATED, Result.empty()), true, NOW);
    RunMachine.apply(half, new RestoreEvent.WaveStarted("r1", CLUSTER, 1, 2, NOW), true, NOW);
    RunMachine.apply(half, new RestoreEvent.ItemRestored("r1", CLUSTER, 1, POD, ItemAction.CREATED, Result.empty(),
        Result.empty(), List.of(), "w", NOW, null, List.of(HOOK), List.of(), null), true, NOW);
    assertEquals(List.of(new RunHooks(CLUSTER, POD, List.of(HOOK)), new Republish(CLUSTER, 1)),
        RunMachine.drive(half, half.cluster(CLUSTER), NOW));

    // Released: results read afterwards decide nothing here.
    RunMachine.release(half.cluster(CLUSTER));
    assertEquals(List.of(), apply(half, result(1, CM, ItemAction.CREATED, Result.empty())));
  }

  @Test
  void aRunThatEndedDecidesNothingMore() {
    RestoreRun run = running(2);
    apply(run, new RestoreEvent.Finished("r1", CLUSTER, RestorePhase.FAILED, "wave 0 made no progress", NOW));
    assertEquals(ClusterFold.Stage.ENDED, run.cluster(CLUSTER).stage());
    assertEquals(List.of(), apply(run, result(0, NS, ItemAction.CREATED, Result.empty())));
  }

  // ---- cancel (DESIGN "Cancel") ----

  private static final String UID = "0b7b5a3c-5f0e-4d5e-9a57-5a1b2c3d4e5f";

  private static RestoreRun submittedWithUid() {
    Restore request = new Restore("velero.io/v1", "Restore", new dev.rebound.model.velero.ObjectMeta("r1", "velero",
        UID, null, NOW, null, null), RestoreSpec.fromBackup("nightly"), null);
    return new RestoreRun(new RestoreEvent.Submitted("r1", request, List.of(CLUSTER), NOW), 0);
  }

  private static RestoreEvent.CancelRequested cancel(String uid) {
    return new RestoreEvent.CancelRequested("r1", uid, "alice", NOW);
  }

  private static Append canceled() {
    return new Append(new RestoreEvent.Finished("r1", CLUSTER, RestorePhase.CANCELED, "restore canceled by alice", NOW));
  }

  private static RunMachine.Fence fence() {
    return new RunMachine.Fence(new dev.rebound.model.pipeline.RestoreCancel("r1", UID, NOW));
  }

  @Test
  void aCancelDuringAWaveFencesTheItemsAndEndsCanceledOnceThePublishedItemsHaveResultsStartingNoOtherWave() {
    RestoreRun run = submittedWithUid();
    RunMachine.drive(run, run.cluster(CLUSTER), NOW);
    apply(run, planned(2, 1));
    apply(run, new RestoreEvent.WaveStarted("r1", CLUSTER, 0, 2, NOW));
    assertEquals(List.of(), apply(run, result(0, NS, ItemAction.CREATED, Result.empty())));

    assertEquals(List.of(fence()), RunMachine.cancel(run, cancel(UID), false, NOW));
    // The last item of the wave (skipped by the item-restorer, no record): the run ends, wave 1 never starts.
    assertEquals(List.of(canceled()), apply(run, result(0, CM, null, Result.empty())));
    // A second cancel, and a repeat of the end, change nothing.
    assertEquals(List.of(), RunMachine.cancel(run, cancel(UID), false, NOW));
    apply(run, new RestoreEvent.Finished("r1", CLUSTER, RestorePhase.CANCELED, "restore canceled by alice", NOW));
    assertEquals(ClusterFold.Stage.ENDED, run.cluster(CLUSTER).stage());
  }

  @Test
  void aCancelBetweenWavesOrBeforeThePlanEndsAtOnceAndOneNamingAnotherUidIsIgnored() {
    RestoreRun run = submittedWithUid();
    RunMachine.drive(run, run.cluster(CLUSTER), NOW);
    assertEquals(List.of(), RunMachine.cancel(run, cancel("another-restore-of-the-name"), false, NOW));
    assertEquals(List.of(fence(), canceled()), RunMachine.cancel(run, cancel(UID), false, NOW));
    // The planner finishing meanwhile finds the run canceled: no wave starts.
    apply(run, planned(1));
    assertEquals(List.of(), RunMachine.canceledBeforeWave(run, run.cluster(CLUSTER), NOW));
  }

  @Test
  void aWaveBeingStartedIsWaitedForAndAReplayedCancelIsOnlyFolded() {
    RestoreRun run = submittedWithUid();
    RunMachine.drive(run, run.cluster(CLUSTER), NOW);
    apply(run, planned(1));
    run.cluster(CLUSTER).waveStarting = 0; // the driver is appending WaveStarted
    assertEquals(List.of(fence()), RunMachine.cancel(run, cancel(UID), false, NOW));
    assertEquals(List.of(), apply(run, new RestoreEvent.WaveStarted("r1", CLUSTER, 0, 1, NOW)));
    assertEquals(List.of(canceled()), apply(run, result(0, CM, ItemAction.CREATED, Result.empty())));

    RestoreRun replayed = submittedWithUid();
    apply(replayed, planned(1));
    assertEquals(List.of(), RunMachine.cancel(replayed, cancel(UID), true, NOW));
    assertEquals(UID, replayed.cancel.uid());
  }

  @Test
  void aCanceledRunTakenOverRepublishesItsWaveForTheFenceOrEndsAtOnce() {
    RestoreRun run = submittedWithUid();
    apply(run, planned(2, 1));
    RunMachine.apply(run, new RestoreEvent.WaveStarted("r1", CLUSTER, 0, 2, NOW), true, NOW);
    RunMachine.apply(run, result(0, NS, ItemAction.CREATED, Result.empty()), true, NOW);
    RunMachine.cancel(run, cancel(UID), true, NOW);
    // Never resumed: the missing item is published again for the item-restorers to skip, no new wave.
    assertEquals(List.of(fence(), new Republish(CLUSTER, 0)), RunMachine.drive(run, run.cluster(CLUSTER), NOW));
    assertEquals(List.of(canceled()), apply(run, result(0, CM, null, Result.empty())));

    RestoreRun between = submittedWithUid();
    apply(between, planned(1, 1));
    RunMachine.apply(between, new RestoreEvent.WaveStarted("r1", CLUSTER, 0, 1, NOW), true, NOW);
    RunMachine.apply(between, result(0, NS, ItemAction.CREATED, Result.empty()), true, NOW);
    RunMachine.cancel(between, cancel(UID), true, NOW);
    assertEquals(List.of(fence(), canceled()), RunMachine.drive(between, between.cluster(CLUSTER), NOW));
  }
}
