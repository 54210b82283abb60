package dev.rebound.model.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import dev.rebound.model.velero.ObjectMeta;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.model.velero.Result;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Pins the JSON of every event on the wire: a change here breaks running services of the previous version. */
class RestoreEventWireFormatTest {

  private static final Instant AT = Instant.parse("2026-11-22T10:15:30Z");
  private static final ItemKey KEY = new ItemKey("v1/ConfigMap", "shop-restored", "settings");

  static Stream<Arguments> events() {
    Restore request = Restore.of(new ObjectMeta("r1", "velero", null, null, null, null, null),
        RestoreSpec.fromBackup("nightly"));
    return Stream.of(
        Arguments.of(new RestoreEvent.Submitted("r1", request, List.of("default"), AT),
            "{\"type\":\"Submitted\",\"restore\":\"r1\",\"request\":{\"apiVersion\":\"velero.io/v1\",\"kind\":\"Restore\","
                + "\"metadata\":{\"name\":\"r1\",\"namespace\":\"velero\"},\"spec\":{\"backupName\":\"nightly\"}},"
                + "\"clusters\":[\"default\"],\"at\":\"2026-11-22T10:15:30Z\"}"),
        Arguments.of(new RestoreEvent.WaveStarted("r1", "default", 2, 40, AT),
            "{\"type\":\"WaveStarted\",\"restore\":\"r1\",\"cluster\":\"default\",\"wave\":2,\"items\":40,"
                + "\"at\":\"2026-11-22T10:15:30Z\"}"),
        Arguments.of(new RestoreEvent.ItemRestored("r1", "default", 2, KEY, ItemAction.FAILED,
                Result.empty().add("shop-restored", "could not restore, ConfigMap:settings already exists. Warning: the "
                    + "in-cluster version is different than the backed-up version"), Result.empty(),
                List.of("Attempting to restore ConfigMap: settings."), "item-restorer-1a2b3c4d", AT),
            "{\"type\":\"ItemRestored\",\"restore\":\"r1\",\"cluster\":\"default\",\"wave\":2,"
                + "\"key\":{\"resource\":\"v1/ConfigMap\",\"namespace\":\"shop-restored\",\"name\":\"settings\"},"
                + "\"action\":\"failed\",\"warnings\":{\"namespaces\":{\"shop-restored\":[\"could not restore, "
                + "ConfigMap:settings already exists. Warning: the in-cluster version is different than the backed-up "
                + "version\"]}},\"errors\":{},\"log\":[\"Attempting to restore ConfigMap: settings.\"],"
                + "\"worker\":\"item-restorer-1a2b3c4d\",\"at\":\"2026-11-22T10:15:30Z\",\"createdAs\":null,"
                + "\"execHooks\":[],\"podVolumeRestores\":[]}"),
        Arguments.of(new RestoreEvent.ItemRestored("r1", "default", 1, new ItemKey("v1/PersistentVolume", "", "pv-1"),
                ItemAction.CREATED, Result.empty(), Result.empty(), List.of(), "w", AT,
                "velero-clone-6f1d2c3b-0000-3000-8000-000000000000", List.of(), List.of()),
            "{\"type\":\"ItemRestored\",\"restore\":\"r1\",\"cluster\":\"default\",\"wave\":1,"
                + "\"key\":{\"resource\":\"v1/PersistentVolume\",\"namespace\":\"\",\"name\":\"pv-1\"},"
                + "\"action\":\"created\",\"warnings\":{},\"errors\":{},\"log\":[],\"worker\":\"w\","
                + "\"at\":\"2026-11-22T10:15:30Z\",\"createdAs\":\"velero-clone-6f1d2c3b-0000-3000-8000-000000000000\","
                + "\"execHooks\":[],\"podVolumeRestores\":[]}"),
        Arguments.of(new RestoreEvent.ItemRestored("r1", "default", 1, new ItemKey("v1/PersistentVolume", "", "pv-2"),
                ItemAction.CREATED, Result.empty(), Result.empty(), List.of(), "w", AT, null, List.of(), List.of(),
                RestoreEvent.RestoredVolume.nativeSnapshot("pv-2", "data", "shop", "snap-0a1b", "gp3", "eu-west-1a",
                    3000L)),
            "{\"type\":\"ItemRestored\",\"restore\":\"r1\",\"cluster\":\"default\",\"wave\":1,"
                + "\"key\":{\"resource\":\"v1/PersistentVolume\",\"namespace\":\"\",\"name\":\"pv-2\"},"
                + "\"action\":\"created\",\"warnings\":{},\"errors\":{},\"log\":[],\"worker\":\"w\","
                + "\"at\":\"2026-11-22T10:15:30Z\",\"createdAs\":null,\"execHooks\":[],\"podVolumeRestores\":[],"
                + "\"restoredVolume\":{\"method\":\"NativeSnapshot\",\"pvcName\":\"data\",\"pvcNamespace\":\"shop\","
                + "\"pvName\":\"pv-2\",\"snapshotHandle\":\"snap-0a1b\",\"size\":0,\"driver\":null,\"vscName\":null,"
                + "\"volumeType\":\"gp3\",\"volumeAZ\":\"eu-west-1a\",\"iops\":3000}}"),
        Arguments.of(new RestoreEvent.ItemRestored("r1", "default", 5, new ItemKey("v1/Pod", "shop", "db-0"),
                ItemAction.CREATED, Result.empty(), Result.empty(), List.of(), "w", AT, null,
                List.of(new ExecHook("dump", "spec", 1, "db", List.of("/bin/sh", "-c", "restore.sh"), "Fail", 0, 60000,
                    true)), List.of("r1-7kq2x")),
            "{\"type\":\"ItemRestored\",\"restore\":\"r1\",\"cluster\":\"default\",\"wave\":5,"
                + "\"key\":{\"resource\":\"v1/Pod\",\"namespace\":\"shop\",\"name\":\"db-0\"},"
                + "\"action\":\"created\",\"warnings\":{},\"errors\":{},\"log\":[],\"worker\":\"w\","
                + "\"at\":\"2026-11-22T10:15:30Z\",\"createdAs\":null,\"execHooks\":[{\"name\":\"dump\","
                + "\"source\":\"spec\",\"index\":1,\"container\":\"db\",\"command\":[\"/bin/sh\",\"-c\","
                + "\"restore.sh\"],\"onError\":\"Fail\",\"execTimeoutMillis\":0,\"waitTimeoutMillis\":60000,"
                + "\"waitForReady\":true}],\"podVolumeRestores\":[\"r1-7kq2x\"]}"),
        Arguments.of(new RestoreEvent.AwaitingVolumes("r1", "default", 2, AT),
            "{\"type\":\"AwaitingVolumes\",\"restore\":\"r1\",\"cluster\":\"default\",\"pods\":2,"
                + "\"at\":\"2026-11-22T10:15:30Z\"}"),
        Arguments.of(new RestoreEvent.PodVolumesRestored("r1", "default", new ItemKey("v1/Pod", "shop", "db-0"), 2, 1,
                4096, List.of("pod volume restore failed: restic restore failed: wrong password"), List.of("done"), AT,
                List.of(new RestoreEvent.RestoredPodVolume("data", "8f3c2a1b", "restic", 4096, "db-0", "shop", "data-db-0",
                    "pvc-1")),
                List.of(new RestoreEvent.VolumeOperation("r1-7kq2x", "shop", "db-0", "data", "Completed", null, 4096,
                    4096, AT, AT, AT))),
            "{\"type\":\"PodVolumesRestored\",\"restore\":\"r1\",\"cluster\":\"default\","
                + "\"pod\":{\"resource\":\"v1/Pod\",\"namespace\":\"shop\",\"name\":\"db-0\"},\"volumes\":2,"
                + "\"completed\":1,\"bytes\":4096,\"errors\":[\"pod volume restore failed: restic restore failed: "
                + "wrong password\"],\"log\":[\"done\"],\"at\":\"2026-11-22T10:15:30Z\",\"restored\":[{\"volume\":"
                + "\"data\",\"snapshotId\":\"8f3c2a1b\",\"uploaderType\":\"restic\",\"size\":4096,\"podName\":\"db-0\","
                + "\"podNamespace\":\"shop\",\"pvcName\":\"data-db-0\",\"pvName\":\"pvc-1\"}],\"operations\":[{"
                + "\"operationId\":\"r1-7kq2x\",\"podNamespace\":\"shop\",\"podName\":\"db-0\",\"volume\":\"data\","
                + "\"phase\":\"Completed\",\"error\":null,\"bytesDone\":4096,\"totalBytes\":4096,"
                + "\"created\":\"2026-11-22T10:15:30Z\",\"started\":\"2026-11-22T10:15:30Z\","
                + "\"updated\":\"2026-11-22T10:15:30Z\"}]}"),
        Arguments.of(new RestoreEvent.VolumesPatched("r1", "default", 2, Result.empty().add("shop",
                "fail to patch dynamic PV, err: context deadline exceeded, PVC: data, PV: pvc-1"), List.of("patched"), AT),
            "{\"type\":\"VolumesPatched\",\"restore\":\"r1\",\"cluster\":\"default\",\"volumes\":2,\"errors\":"
                + "{\"namespaces\":{\"shop\":[\"fail to patch dynamic PV, err: context deadline exceeded, PVC: data, "
                + "PV: pvc-1\"]}},\"log\":[\"patched\"],\"at\":\"2026-11-22T10:15:30Z\"}"),
        Arguments.of(new RestoreEvent.AwaitingHooks("r1", "default", 3, AT),
            "{\"type\":\"AwaitingHooks\",\"restore\":\"r1\",\"cluster\":\"default\",\"pods\":3,"
                + "\"at\":\"2026-11-22T10:15:30Z\"}"),
        Arguments.of(new RestoreEvent.HooksRun("r1", "default", new ItemKey("v1/Pod", "shop", "db-0"), 1, 1,
                List.of("hook dump in container db in pod shop/db-0 not executed: context deadline exceeded"),
                List.of(), AT),
            "{\"type\":\"HooksRun\",\"restore\":\"r1\",\"cluster\":\"default\",\"pod\":{\"resource\":"
                + "\"v1/Pod\",\"namespace\":\"shop\",\"name\":\"db-0\"},\"attempted\":1,\"failed\":1,"
                + "\"errors\":[\"hook dump in container db in pod shop/db-0 not executed: context deadline exceeded\"],"
                + "\"log\":[],\"at\":\"2026-11-22T10:15:30Z\"}"),
        Arguments.of(new RestoreEvent.Finished("r1", "default", RestorePhase.PARTIALLY_FAILED, null, AT),
            "{\"type\":\"Finished\",\"restore\":\"r1\",\"cluster\":\"default\",\"phase\":\"PartiallyFailed\","
                + "\"failureReason\":null,\"at\":\"2026-11-22T10:15:30Z\"}"),
        Arguments.of(new RestoreEvent.FilesStored("r1", List.of("error uploading log file to backup storage: "
                + "cannot write s3://velero/restores/r1/restore-r1-logs.gz: Access Denied"), AT),
            "{\"type\":\"FilesStored\",\"restore\":\"r1\",\"errors\":[\"error uploading log file to backup "
                + "storage: cannot write s3://velero/restores/r1/restore-r1-logs.gz: Access Denied\"],"
                + "\"at\":\"2026-11-22T10:15:30Z\"}"),
        Arguments.of(new RestoreEvent.DeleteRequested("r1", "u-1", List.of("default", "east"),
                "r1-resource-modifiers", "alice", AT),
            "{\"type\":\"DeleteRequested\",\"restore\":\"r1\",\"uid\":\"u-1\",\"clusters\":[\"default\",\"east\"],"
                + "\"resourceModifierConfigMap\":\"r1-resource-modifiers\",\"by\":\"alice\",\"at\":\"2026-11-22T10:15:30Z\"}"),
        Arguments.of(new RestoreEvent.Deleted("r1", "u-1", AT),
            "{\"type\":\"Deleted\",\"restore\":\"r1\",\"uid\":\"u-1\",\"at\":\"2026-11-22T10:15:30Z\"}"),
        Arguments.of(new RestoreEvent.Planned("r1", "default", request, List.of(new RestoreEvent.WaveSummary(0,
                "namespaces", 1)), Result.empty(), Result.empty().addVelero("x"), AT),
            "{\"type\":\"Planned\",\"restore\":\"r1\",\"cluster\":\"default\",\"resolved\":{\"apiVersion\":\"velero.io/v1\","
                + "\"kind\":\"Restore\",\"metadata\":{\"name\":\"r1\",\"namespace\":\"velero\"},\"spec\":{\"backupName\":"
                + "\"nightly\"}},\"waves\":[{\"index\":0,\"name\":\"namespaces\",\"items\":1}],\"warnings\":{},"
                + "\"errors\":{\"velero\":[\"x\"]},\"at\":\"2026-11-22T10:15:30Z\"}"),
        Arguments.of(new RestoreEvent.Planned("r1", "default", request, List.of(new RestoreEvent.WaveSummary(0,
                "namespaces", 1), new RestoreEvent.WaveSummary(1, "persistentvolumeclaims", 2)), Result.empty(),
                Result.empty(), AT, new StoredPlan("7c0e", List.of(new StoredPlan.WaveRecord(0, 4, 17, 17, 1, null),
                new StoredPlan.WaveRecord(1, 9, 30, 41, 1, List.of(new StoredPlan.MissingItem(new ItemKey(
                "v1/PersistentVolumeClaim", "shop", "data"), "persistentvolumeclaims")))),
                java.util.Map.of("pv-1", VolumeHint.PersistentVolumeAction.PROVISION),
                List.of(new PersistentVolumePatch("shop", "logs", "pv-1", "Retain", java.util.Map.of("app", "a"))))),
            "{\"type\":\"Planned\",\"restore\":\"r1\",\"cluster\":\"default\",\"resolved\":{\"apiVersion\":\"velero.io/v1\","
                + "\"kind\":\"Restore\",\"metadata\":{\"name\":\"r1\",\"namespace\":\"velero\"},\"spec\":{\"backupName\":"
                + "\"nightly\"}},\"waves\":[{\"index\":0,\"name\":\"namespaces\",\"items\":1},{\"index\":1,\"name\":"
                + "\"persistentvolumeclaims\",\"items\":2}],\"warnings\":{},\"errors\":{},\"at\":\"2026-11-22T10:15:30Z\","
                + "\"plan\":{\"id\":\"7c0e\",\"waves\":[{\"wave\":0,\"partition\":4,\"from\":17,\"to\":17,\"count\":1,"
                + "\"missing\":[]},{\"wave\":1,\"partition\":9,\"from\":30,\"to\":41,\"count\":1,\"missing\":[{\"key\":"
                + "{\"resource\":\"v1/PersistentVolumeClaim\",\"namespace\":\"shop\",\"name\":\"data\"},"
                + "\"groupResource\":\"persistentvolumeclaims\"}]}],\"persistentVolumes\":{\"pv-1\":\"PROVISION\"},"
                + "\"volumePatches\":[{\"pvcNamespace\":\"shop\",\"pvcName\":\"logs\",\"pvName\":\"pv-1\","
                + "\"reclaimPolicy\":\"Retain\",\"labels\":{\"app\":\"a\"}}]}}"));
  }

  @ParameterizedTest
  @MethodSource("events")
  void eventsHaveAStableJsonFormAndReadBackEqual(RestoreEvent event, String json) throws Exception {
    assertEquals(Json.mapper().readTree(json), Json.mapper().readTree(Json.mapper().writeValueAsBytes(event)));
    assertEquals(event, Json.mapper().readValue(json, RestoreEvent.class));
  }

  @Test
  void itemTaskCarriesTheBackedUpObjectVerbatim() throws Exception {
    ObjectNode object = (ObjectNode) Json.mapper().readTree(
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\",\"namespace\":\"shop\","
            + "\"uid\":\"6b1c\"},\"data\":{\"a\":\"1\"}}");
    ItemTask task = new ItemTask("r1", "nightly", "default", 3, KEY, "configmaps", "shop",
        new RestoreContext("6f1d", RestoreSpec.fromBackup("nightly"), null), object);
    JsonNode written = Json.mapper().readTree(Json.mapper().writeValueAsBytes(task));
    assertEquals(Json.mapper().readTree("{\"restore\":\"r1\",\"backup\":\"nightly\",\"cluster\":\"default\",\"wave\":3,"
        + "\"key\":{\"resource\":\"v1/ConfigMap\",\"namespace\":\"shop-restored\",\"name\":\"settings\"},"
        + "\"groupResource\":\"configmaps\",\"sourceNamespace\":\"shop\",\"context\":{\"uid\":\"6f1d\","
        + "\"spec\":{\"backupName\":\"nightly\"}},\"object\":"
        + object + ",\"volume\":null}"), written);
    assertEquals(task, Json.mapper().treeToValue(written, ItemTask.class));
    assertEquals("r1/default/v1/ConfigMap/shop-restored/settings", task.recordKey());
    assertEquals("configmaps/shop-restored/settings", task.resourceId());
  }

  @Test
  void theOutageTimeoutTravelsWithTheTaskAndDefaultsWhenAbsent() throws Exception {
    ItemTask task = new ItemTask("r1", "nightly", "default", 3, KEY, "configmaps", "shop",
        new RestoreContext("6f1d", RestoreSpec.fromBackup("nightly"), null, 5_000L), Json.mapper().createObjectNode());
    JsonNode written = Json.mapper().readTree(Json.mapper().writeValueAsBytes(task));
    assertEquals(Json.mapper().readTree("{\"uid\":\"6f1d\",\"spec\":{\"backupName\":\"nightly\"},"
        + "\"outageTimeoutMillis\":5000}"), written.path("context"));
    assertEquals(task, Json.mapper().treeToValue(written, ItemTask.class));
    assertEquals(5_000L, task.context().outageTimeout());
    ((com.fasterxml.jackson.databind.node.ObjectNode) written.path("context")).remove("outageTimeoutMillis");
    assertEquals(RestoreContext.DEFAULT_OUTAGE_TIMEOUT_MILLIS,
        Json.mapper().treeToValue(written, ItemTask.class).context().outageTimeout());
  }

  @Test
  void resourceListEntriesAreVelerosFormat() {
    assertEquals("shop-restored/settings(created)", KEY.resourceListEntry(ItemAction.CREATED));
    assertEquals("shop-restored(skipped)", new ItemKey("v1/Namespace", null, "shop-restored")
        .resourceListEntry(ItemAction.SKIPPED));
  }

  @Test
  void anItemWithoutAnExplicitActionIsSkippedOnlyWhenItSaidNothing() {
    assertEquals(ItemAction.SKIPPED, ItemAction.implicit(0, 0));
    assertEquals(ItemAction.FAILED, ItemAction.implicit(1, 0));
    assertEquals(ItemAction.FAILED, ItemAction.implicit(0, 1));
    assertThrows(IllegalArgumentException.class, () -> ItemAction.of("restored"));
  }

  @Test
  void aClaimCarriesItsVolumesFate() throws Exception {
    ItemTask task = new ItemTask("r1", "nightly", "default", 4, new ItemKey("v1/PersistentVolumeClaim", "shop-restored",
        "data"), "persistentvolumeclaims", "shop", null, Json.mapper().createObjectNode(),
        VolumeHint.claim(false, "velero-clone-1"));
    JsonNode written = Json.mapper().readTree(Json.mapper().writeValueAsBytes(task));
    assertEquals(Json.mapper().readTree("{\"renamedVolume\":\"velero-clone-1\"}"), written.get("volume"));
    assertEquals(Json.mapper().readTree("{\"persistentVolume\":\"PROVISION\"}"), Json.mapper().valueToTree(
        VolumeHint.persistentVolume(VolumeHint.PersistentVolumeAction.PROVISION)));
    assertEquals(task, Json.mapper().treeToValue(written, ItemTask.class));
  }
}
