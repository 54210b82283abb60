package dev.rebound.model.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.model.velero.ObjectMeta;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.model.velero.RestoreStatus;
import dev.rebound.model.velero.Result;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one fold of a cluster's run: first report wins, and every kind of error counts once. */
class ClusterFoldTest {

  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private static final String CLUSTER = "east";
  private static final ItemKey POD = new ItemKey("v1/Pod", "shop", "web-0");
  private static final Restore RESTORE = Restore.of(new ObjectMeta("r1", "velero", null, null, null, null, null),
      RestoreSpec.fromBackup("nightly"));

  private static RestoreEvent.Planned planned(Result warnings, Result errors) {
    return new RestoreEvent.Planned("r1", CLUSTER, RESTORE, List.of(new RestoreEvent.WaveSummary(0, "all", 3)),
        warnings, errors, T0);
  }

  private static RestoreEvent.ItemRestored result(ItemKey key, ItemAction action, Result errors, List<ExecHook> hooks,
      List<String> volumes) {
    return new RestoreEvent.ItemRestored("r1", CLUSTER, 0, key, action, Result.empty().add("shop", "w"), errors,
        List.of(), "worker-1", T0.plusSeconds(1), null, hooks, volumes);
  }

  @Test
  void aRepeatOfAnyReportAddsNothingAndEveryKindOfErrorCountsOnce() {
    ClusterFold fold = new ClusterFold(CLUSTER);
    assertEquals(ClusterFold.Stage.SUBMITTED, fold.stage());
    assertEquals(RestorePhase.NEW, fold.phase());
    assertEquals(CLUSTER, ClusterFold.clusterOf(planned(Result.empty(), Result.empty())));

    assertTrue(fold.apply(planned(Result.empty(), Result.empty().addVelero("unreadable item"))));
    assertFalse(fold.apply(planned(Result.empty().add("shop", "again"), Result.empty().addVelero("again"))),
        "planned once");
    assertEquals(ClusterFold.Stage.RUNNING, fold.stage());
    assertEquals(RestorePhase.IN_PROGRESS, fold.phase());
    assertEquals(3, fold.plannedItems());
    assertEquals(T0, fold.start());

    assertTrue(fold.apply(new RestoreEvent.WaveStarted("r1", CLUSTER, 0, 3, T0)));
    ExecHook hook = new ExecHook("h", ExecHook.FROM_ANNOTATION, 0, "web", List.of("true"), "Continue", 30_000, 0, false);
    RestoreEvent.ItemRestored pod = result(POD, ItemAction.CREATED, Result.empty(), List.of(hook), List.of("pvr-1"));
    assertTrue(fold.apply(pod));
    assertFalse(fold.apply(pod), "a redelivered item counts once");
    assertTrue(fold.apply(result(new ItemKey("v1/ConfigMap", "shop", "c"), ItemAction.FAILED,
        Result.empty().add("shop", "could not restore"), List.of(), List.of())));
    assertTrue(fold.apply(result(new ItemKey("v1/Namespace", "", "shop"), null, Result.empty(), List.of(), List.of())));
    assertTrue(fold.currentWaveComplete());
    assertEquals(3, fold.resultCount());
    assertEquals(2, fold.recordedCount(), "a namespace that existed has a result but no record");
    assertEquals(Map.of(POD, ItemAction.CREATED, new ItemKey("v1/ConfigMap", "shop", "c"), ItemAction.FAILED),
        fold.recorded());
    assertEquals(3, fold.warnings());

    assertTrue(fold.hooksPending());
    assertTrue(fold.apply(new RestoreEvent.HookStarted("r1", CLUSTER, POD, "web", "h", "coordinator-1", T0)));
    assertFalse(fold.apply(new RestoreEvent.HookStarted("r1", CLUSTER, POD, "web", "h", "coordinator-2", T0)));
    assertEquals(java.util.Set.of("web/h"), fold.hooksBegun(POD));
    RestoreEvent.HooksRun hooksRun = new RestoreEvent.HooksRun("r1", CLUSTER, POD, 1, 1, List.of("hook failed"),
        List.of(), T0);
    assertTrue(fold.apply(hooksRun));
    assertFalse(fold.apply(hooksRun), "a pod's hook results count once");
    assertFalse(fold.hooksPending());
    assertEquals(1, fold.hooksAttempted());
    assertEquals(1, fold.hooksFailed());

    assertTrue(fold.volumesPending());
    assertEquals(T0.plusSeconds(1), fold.volumesSince(POD));
    RestoreEvent.PodVolumesRestored volumes = new RestoreEvent.PodVolumesRestored("r1", CLUSTER, POD, 1, 0, 0,
        List.of("pod volume restore failed"), List.of(), T0, List.of(), List.of());
    assertTrue(fold.apply(volumes));
    assertFalse(fold.apply(volumes));
    assertFalse(fold.volumesPending());
    RestoreEvent.VolumesPatched patched = new RestoreEvent.VolumesPatched("r1", CLUSTER, 1,
        Result.empty().add("shop", "fail to patch dynamic PV"), List.of(), T0);
    assertTrue(fold.apply(patched));
    assertFalse(fold.apply(patched));

    // plan 1 + item 1 + hook 1 + volume data 1 + volume patch 1
    assertEquals(5, fold.errors());

    assertTrue(fold.apply(new RestoreEvent.Finished("r1", CLUSTER, RestorePhase.PARTIALLY_FAILED, null, T0.plusSeconds(9))));
    assertFalse(fold.apply(new RestoreEvent.Finished("r1", CLUSTER, RestorePhase.COMPLETED, null, T0.plusSeconds(10))),
        "a run ends once");
    assertFalse(fold.apply(new RestoreEvent.AwaitingHooks("r1", CLUSTER, 1, T0.plusSeconds(11))), "no wait after the end");
    assertEquals(ClusterFold.Stage.ENDED, fold.stage());
    assertEquals(RestorePhase.PARTIALLY_FAILED, fold.phase());
    assertEquals(T0.plusSeconds(9), fold.completion());
  }

  @Test
  void aRejectionEndsTheRunWithItsPhaseAndFailedHasAStart() {
    ClusterFold invalid = new ClusterFold(CLUSTER);
    assertTrue(invalid.apply(new RestoreEvent.Rejected("r1", CLUSTER,
        RESTORE.withStatus(RestoreStatus.failedValidation(List.of("backup not found"))), T0)));
    assertEquals(RestorePhase.FAILED_VALIDATION, invalid.phase());
    assertEquals(List.of("backup not found"), invalid.validationErrors());
    assertNull(invalid.start());
    assertFalse(invalid.apply(new RestoreEvent.Finished("r1", CLUSTER, RestorePhase.FAILED, "late", T0)));

    ClusterFold failed = new ClusterFold(CLUSTER);
    assertTrue(failed.apply(new RestoreEvent.Rejected("r1", CLUSTER, RESTORE.withStatus(RestoreStatus.phase(
        RestorePhase.FAILED)), T0)));
    assertEquals(RestorePhase.FAILED, failed.phase());
    assertEquals(T0, failed.start(), "past validation: Velero sets startTimestamp (reference 2.2)");
    assertEquals(T0, failed.completion());
    assertNull(ClusterFold.clusterOf(new RestoreEvent.FilesStored("r1", List.of(), T0)));
  }
}
