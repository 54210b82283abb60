package dev.rebound.statusreporter.restores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.RestoreEvent;
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

/** Reference 2.2, 3.11, 3.12, 1.4: the status, results and resource list folded from a restore's events. */
class RestoreViewTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private final Restore request = Restore.of(new ObjectMeta("r1", "velero", null, null, null, null, null),
      RestoreSpec.fromBackup("nightly"));

  private RestoreView view(String... clusters) {
    return new RestoreView(new RestoreEvent.Submitted("r1", request, List.of(clusters), T0), 0);
  }

  private static RestoreEvent.ItemRestored result(String cluster, String name, ItemAction action, Result warnings,
      Result errors) {
    return new RestoreEvent.ItemRestored("r1", cluster, 1, new ItemKey("v1/ConfigMap", "shop", name), action,
        warnings, errors, List.of(), "w", T0.plusSeconds(2));
  }

  private RestoreEvent.Planned planned(String cluster, int items) {
    return new RestoreEvent.Planned("r1", cluster, request.withStatus(RestoreStatus.phase(RestorePhase.IN_PROGRESS)),
        List.of(new RestoreEvent.WaveSummary(0, "namespaces", 1), new RestoreEvent.WaveSummary(1, "configmaps",
            items - 1)), Result.empty(), Result.empty(), T0.plusSeconds(1));
  }

  @Test
  void progressEstimatesUntilTheEndThenCountsRecordedItems() {
    RestoreView v = view("default");
    assertEquals(RestorePhase.NEW, v.restore().status().phase());
    v.apply(planned("default", 4));
    // The namespace existed: a result without an action is not recorded (3.5).
    v.apply(new RestoreEvent.ItemRestored("r1", "default", 0, new ItemKey("v1/Namespace", "", "shop"), null,
        Result.empty(), Result.empty(), List.of(), "w", T0));
    v.apply(result("default", "a", ItemAction.CREATED, Result.empty(), Result.empty()));
    RestoreStatus running = v.restore().status();
    assertEquals(RestorePhase.IN_PROGRESS, running.phase());
    assertEquals(new RestoreStatus.Progress(3, 1), running.progress());
    v.apply(result("default", "b", ItemAction.FAILED, Result.empty().add("shop",
        "could not restore, ConfigMap:b already exists. Warning: the in-cluster version is different than the "
            + "backed-up version"), Result.empty()));
    v.apply(result("default", "c", ItemAction.FAILED, Result.empty(), Result.empty().add("shop", "error restoring x")));
    assertNull(v.apply(new RestoreEvent.Finished("r1", "default", RestorePhase.PARTIALLY_FAILED, null,
        T0.plusSeconds(9))));
    assertEquals(RestorePhase.FINALIZING_PARTIALLY_FAILED, v.phase());
    assertEquals(RestorePhase.PARTIALLY_FAILED, v.apply(new RestoreEvent.FilesStored("r1", List.of(),
        T0.plusSeconds(10))));
    RestoreStatus ended = v.restore().status();
    assertEquals(new RestoreStatus.Progress(3, 3), ended.progress());
    assertEquals(1, ended.warnings());
    assertEquals(1, ended.errors());
    assertEquals(T0.plusSeconds(1), ended.startTimestamp());
    assertEquals(T0.plusSeconds(10), ended.completionTimestamp(), "completion is the end of Finalizing (2.2)");
    assertEquals(Map.of("v1/ConfigMap", List.of("shop/a(created)", "shop/b(failed)", "shop/c(failed)")),
        v.resourceList());
  }

  @Test
  void aRedeliveredResultCountsOnce() {
    RestoreView v = view("default");
    v.apply(planned("default", 2));
    v.apply(result("default", "a", ItemAction.CREATED, Result.empty(), Result.empty()));
    v.apply(result("default", "a", ItemAction.CREATED, Result.empty(), Result.empty()));
    v.apply(result("default", "a", ItemAction.FAILED, Result.empty(), Result.empty().add("shop", "late duplicate")));
    assertEquals(1, v.recordedCount());
    assertEquals(0, v.restore().status().errors());
    assertEquals(Map.of("v1/ConfigMap", List.of("shop/a(created)")), v.resourceList());
  }

  @Test
  void failedValidationHasNoTimestampsNorProgress() {
    RestoreView v = view("default");
    assertEquals(RestorePhase.FAILED_VALIDATION, v.apply(new RestoreEvent.Rejected("r1", "default",
        request.withStatus(RestoreStatus.failedValidation(List.of("Invalid ExistingResourcePolicy: x"))), T0)));
    RestoreStatus status = v.restore().status();
    assertEquals(List.of("Invalid ExistingResourcePolicy: x"), status.validationErrors());
    assertNull(status.startTimestamp());
    assertNull(status.completionTimestamp());
    assertNull(status.progress());
  }

  @Test
  void severalClustersEndWithTheirCommonPhaseElsePartiallyFailed() {
    RestoreView v = view("east", "west");
    v.apply(planned("east", 1));
    assertNull(v.apply(new RestoreEvent.Finished("r1", "east", RestorePhase.COMPLETED, null, T0)));
    assertEquals(RestorePhase.IN_PROGRESS, v.phase());
    assertNull(v.apply(new RestoreEvent.Rejected("r1", "west",
        request.withStatus(RestoreStatus.failedValidation(List.of("unknown target cluster \"west\""))), T0)));
    assertEquals(RestorePhase.FINALIZING_PARTIALLY_FAILED, v.phase());
    assertEquals(RestorePhase.PARTIALLY_FAILED, v.apply(new RestoreEvent.FilesStored("r1", List.of(), T0)));
  }

  @Test
  void aRestoreThatRanIsFinalizingUntilItsFilesAreStored() {
    RestoreView v = view("default");
    v.apply(planned("default", 2));
    v.apply(result("default", "a", ItemAction.CREATED, Result.empty(), Result.empty()));
    assertNull(v.apply(new RestoreEvent.FilesStored("r1", List.of(), T0)), "files before the end are ignored");
    assertNull(v.apply(new RestoreEvent.Finished("r1", "default", RestorePhase.COMPLETED, null, T0.plusSeconds(5))));
    assertEquals(RestorePhase.FINALIZING, v.phase());
    assertEquals(true, v.awaitingFiles());
    assertNull(v.restore().status().completionTimestamp());
    assertEquals(RestorePhase.COMPLETED, v.apply(new RestoreEvent.FilesStored("r1", List.of(), T0.plusSeconds(6))));
    assertEquals(false, v.awaitingFiles());
    assertNull(v.apply(new RestoreEvent.FilesStored("r1", List.of("error uploading log file to backup storage: late"),
        T0.plusSeconds(7))), "a second FilesStored is a duplicate");
    assertEquals(RestorePhase.COMPLETED, v.phase());
    assertEquals(0, v.restore().status().errors());
    assertEquals(T0.plusSeconds(6), v.restore().status().completionTimestamp());
  }

  @Test
  void aLogThatCouldNotBeStoredIsAVeleroErrorAndMakesTheRestorePartiallyFailed() {
    RestoreView v = view("default");
    v.apply(planned("default", 2));
    v.apply(new RestoreEvent.Finished("r1", "default", RestorePhase.COMPLETED, null, T0));
    String error = "error uploading log file to backup storage: cannot write s3://velero/restores/r1/"
        + "restore-r1-logs.gz: Access Denied";
    assertEquals(RestorePhase.PARTIALLY_FAILED, v.apply(new RestoreEvent.FilesStored("r1", List.of(error), T0)));
    assertEquals(1, v.restore().status().errors());
    assertEquals(List.of(error), v.results().get("errors").velero());
  }

  /** Reference 2.2: a restore past validation has a startTimestamp, also when reading its backup failed. */
  @Test
  void aRestoreThatFailedReadingItsBackupHasAStartTimestamp() {
    RestoreView v = view("default");
    RestoreStatus failed = new RestoreStatus(RestorePhase.FAILED, null, 0, 0,
        "error downloading backup: NoSuchKey", null, null, null, 0, 0, 0, null);
    assertEquals(RestorePhase.FAILED, v.apply(new RestoreEvent.Rejected("r1", "default", request.withStatus(failed),
        T0.plusSeconds(3))));
    RestoreStatus status = v.restore().status();
    assertEquals(RestorePhase.FAILED, status.phase());
    assertEquals("error downloading backup: NoSuchKey", status.failureReason());
    assertEquals(T0.plusSeconds(3), status.startTimestamp());
    assertEquals(T0.plusSeconds(3), status.completionTimestamp());
    assertEquals(T0.plusSeconds(3), v.start());
  }

  @Test
  void aRestoreThatNeverRanHasNoFilesToStore() {
    RestoreView failed = view("default");
    failed.apply(planned("default", 2));
    assertEquals(RestorePhase.FAILED, failed.apply(new RestoreEvent.Finished("r1", "default", RestorePhase.FAILED,
        "error downloading backup: connection refused", T0)));
    assertEquals(false, failed.awaitingFiles());
    RestoreView invalid = view("default");
    invalid.apply(new RestoreEvent.Rejected("r1", "default",
        request.withStatus(RestoreStatus.failedValidation(List.of("Invalid ExistingResourcePolicy: x"))), T0));
    assertEquals(false, invalid.awaitingFiles());
  }

  /** Reference 3.13: hook failures are errors under the pod's namespace, counted in hookStatus. */
  @Test
  void hookResultsAreErrorsOfThePodsNamespaceAndTheHookStatus() {
    RestoreView v = view("default");
    v.apply(planned("default", 2));
    v.apply(result("default", "a", ItemAction.CREATED, Result.empty(), Result.empty()));
    ItemKey pod = new ItemKey("v1/Pod", "shop", "db-0");
    String error = "hook <from-annotation> in container db in pod shop/db-0 not executed: context deadline exceeded";
    assertEquals(RestorePhase.IN_PROGRESS, v.phase());
    v.apply(new RestoreEvent.AwaitingHooks("r1", "default", 1, T0));
    assertEquals(RestorePhase.FINALIZING, v.phase(), "2.3: Velero's finalizer waits for the hooks");
    v.apply(new RestoreEvent.HooksRun("r1", "default", pod, 2, 1, List.of(error), List.of("error: " + error), T0));
    assertEquals(RestorePhase.FINALIZING_PARTIALLY_FAILED, v.phase());
    v.apply(new RestoreEvent.HooksRun("r1", "default", pod, 2, 2, List.of(error, error), List.of(), T0));
    v.apply(new RestoreEvent.Finished("r1", "default", RestorePhase.PARTIALLY_FAILED, null, T0));
    assertEquals(RestorePhase.PARTIALLY_FAILED, v.apply(new RestoreEvent.FilesStored("r1", List.of(), T0)));
    RestoreStatus status = v.restore().status();
    assertEquals(new RestoreStatus.HookStatus(2, 1), status.hookStatus(), "a second report of the pod is ignored");
    assertEquals(1, status.errors());
    assertEquals(List.of(error), v.results().get("errors").namespaces().get("shop"));
  }

  /**
   * Reference 6.2, 6.5: restored pods' volume data is the restore's asynchronous work: it waits for
   * plugin operations until every pod's volumes ended, a failed volume is a Velero error, then the
   * hooks (Finalizing) and the end.
   */
  @Test
  void volumeDataIsWaitedForAsPluginOperationsAndAFailureIsAVeleroError() throws Exception {
    RestoreView v = view("default");
    v.apply(planned("default", 2));
    v.apply(result("default", "a", ItemAction.CREATED, Result.empty(), Result.empty()));
    ItemKey db = new ItemKey("v1/Pod", "shop", "db-0");
    ItemKey web = new ItemKey("v1/Pod", "shop", "web-0");
    for (ItemKey pod : List.of(db, web)) {
      v.apply(new RestoreEvent.ItemRestored("r1", "default", 1, pod, ItemAction.CREATED, Result.empty(), Result.empty(),
          List.of(), "w", T0, null, List.of(), pod == db ? List.of("r1-bcdfg", "r1-hjklm") : List.of("r1-npqrs")));
    }
    v.apply(new RestoreEvent.ItemRestored("r1", "default", 1, new ItemKey("v1/PersistentVolume", "", "pv-orders"),
        ItemAction.CREATED, Result.empty(), Result.empty(), List.of(), "w", T0, null, List.of(), List.of(),
        RestoreEvent.RestoredVolume.nativeSnapshot("pv-orders", "orders", "shop", "snap-0a1b", "io1", "eu-west-1a",
            3000L)));
    v.apply(new RestoreEvent.ItemRestored("r1", "default", 1, new ItemKey("v1/PersistentVolumeClaim", "shop", "cache"),
        ItemAction.CREATED, Result.empty(), Result.empty(), List.of(), "w", T0, null, List.of(), List.of(),
        RestoreEvent.RestoredVolume.csiSnapshot("cache", "shop", "snap-0fed", 8L << 30, "ebs.csi.aws.com", "9c1e")));
    v.apply(new RestoreEvent.AwaitingVolumes("r1", "default", 2, T0));
    assertEquals(RestorePhase.WAITING_FOR_PLUGIN_OPERATIONS, v.phase());
    Instant done = T0.plusSeconds(9);
    v.apply(new RestoreEvent.PodVolumesRestored("r1", "default", db, 2, 2, 8192, List.of(),
        List.of("Pod volume restore r1-bcdfg of volume data completed"), T0, List.of(
            new RestoreEvent.RestoredPodVolume("data", "8f3c2a1b", "restic", 8000, "db-0", "shop", "data-db-0", "pvc-9"),
            new RestoreEvent.RestoredPodVolume("cache", "77aa01", "restic", 192, "db-0", "shop", null, null)), List.of(
            new RestoreEvent.VolumeOperation("r1-bcdfg", "shop", "db-0", "data", "Completed", null, 8000, 8000, T0,
                T0.plusSeconds(2), done),
            new RestoreEvent.VolumeOperation("r1-hjklm", "shop", "db-0", "cache", "Completed", null, 192, 192, T0,
                T0.plusSeconds(2), done))));
    assertEquals(3, v.restore().status().restoreItemOperationsAttempted());
    assertEquals(2, v.restore().status().restoreItemOperationsCompleted());
    assertEquals(RestorePhase.WAITING_FOR_PLUGIN_OPERATIONS, v.phase(), "web-0 still restores its volume");
    String error = "pod volume restore failed: error restoring volume logs: restic restore exited with 1: "
        + "Fatal: wrong password or no key found";
    RestoreEvent.VolumeOperation failed = new RestoreEvent.VolumeOperation("r1-npqrs", "shop", "web-0", "logs",
        "Failed", "error restoring volume logs: restic restore exited with 1: Fatal: wrong password or no key found",
        0, 4096, T0, T0.plusSeconds(1), null);
    v.apply(new RestoreEvent.PodVolumesRestored("r1", "default", web, 1, 0, 0, List.of(error), List.of(), T0, List.of(),
        List.of(failed)));
    v.apply(new RestoreEvent.PodVolumesRestored("r1", "default", web, 1, 0, 0, List.of(error), List.of(), T0, List.of(),
        List.of(failed)));
    assertEquals(RestorePhase.IN_PROGRESS, v.phase(), "no longer waiting: the coordinator ends or awaits hooks next");
    v.apply(new RestoreEvent.AwaitingHooks("r1", "default", 1, T0));
    assertEquals(RestorePhase.FINALIZING_PARTIALLY_FAILED, v.phase());
    v.apply(new RestoreEvent.Finished("r1", "default", RestorePhase.PARTIALLY_FAILED, null, T0));
    assertEquals(RestorePhase.PARTIALLY_FAILED, v.apply(new RestoreEvent.FilesStored("r1", List.of(), T0)));
    assertEquals(1, v.restore().status().errors(), "a second report of the pod is ignored");
    assertEquals(List.of(3, 2, 1), List.of(v.restore().status().restoreItemOperationsAttempted(),
        v.restore().status().restoreItemOperationsCompleted(), v.restore().status().restoreItemOperationsFailed()));
    // Reference 6.5: the operations file, capitalised resourceIdentifier keys, progress in bytes.
    String uid = request.metadata().uid() == null ? "" : request.metadata().uid();
    assertEquals("{\"spec\":{\"restoreName\":\"r1\",\"restoreUID\":\"" + uid + "\",\"restoreItemAction\":"
        + "\"velero.io/pod-volume-restore\",\"resourceIdentifier\":{\"Group\":\"\",\"Resource\":\"pods\","
        + "\"Namespace\":\"shop\",\"Name\":\"db-0\"},\"operationID\":\"r1-bcdfg\"},\"status\":{\"phase\":"
        + "\"Completed\",\"nCompleted\":8000,\"nTotal\":8000,\"operationUnits\":\"Bytes\",\"description\":"
        + "\"volume data\",\"created\":\"2026-11-22T10:00:00Z\",\"started\":\"2026-11-22T10:00:02Z\","
        + "\"updated\":\"2026-11-22T10:00:09Z\"}}",
        dev.rebound.model.Json.mapper().writeValueAsString(v.itemOperations().get(0)));
    assertEquals("{\"phase\":\"Failed\",\"error\":\"error restoring volume logs: restic restore exited with 1: "
        + "Fatal: wrong password or no key found\",\"nTotal\":4096,\"operationUnits\":\"Bytes\",\"description\":"
        + "\"volume logs\",\"created\":\"2026-11-22T10:00:00Z\",\"started\":\"2026-11-22T10:00:01Z\"}",
        dev.rebound.model.Json.mapper().writeValueAsString(v.itemOperations().get(2).get("status")));
    assertEquals(3, v.itemOperations().size(), "a second report of the pod is ignored");
    assertEquals(List.of(error), v.results().get("errors").velero());
    // Reference 6.6: Velero's restore volume info lists the claims' pod volumes, then the volumes
    // restored from native snapshots, then the claims provisioned from CSI snapshots.
    assertEquals("[{\"pvcName\":\"data-db-0\",\"pvcNamespace\":\"shop\",\"pvName\":\"pvc-9\",\"restoreMethod\":"
        + "\"PodVolumeRestore\",\"snapshotDataMoved\":false,\"pvrInfo\":{\"snapshotHandle\":\"8f3c2a1b\",\"size\":8000,"
        + "\"uploaderType\":\"restic\",\"volumeName\":\"data\",\"podName\":\"db-0\",\"podNamespace\":\"shop\","
        + "\"Phase\":\"\"}},{\"pvcName\":\"orders\",\"pvcNamespace\":\"shop\",\"pvName\":\"pv-orders\",\"restoreMethod\":"
        + "\"NativeSnapshot\",\"snapshotDataMoved\":false,\"nativeSnapshotInfo\":{\"snapshotHandle\":\"snap-0a1b\","
        + "\"volumeType\":\"io1\",\"volumeAZ\":\"eu-west-1a\",\"iops\":\"3000\",\"Phase\":\"\"}},{\"pvcName\":\"cache\","
        + "\"pvcNamespace\":\"shop\",\"restoreMethod\":\"CSISnapshot\",\"snapshotDataMoved\":false,\"csiSnapshotInfo\":{"
        + "\"snapshotHandle\":\"snap-0fed\",\"size\":8589934592,\"driver\":\"ebs.csi.aws.com\",\"vscName\":\"9c1e\","
        + "\"ReadyToUse\":null}}]", dev.rebound.model.Json.mapper().writeValueAsString(v.volumeInfo()));
  }
}
