package dev.rebound.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.examplerestore.BackupUploader;
import dev.rebound.examplerestore.ExampleRestore;
import dev.rebound.examplerestore.ExampleScenario;
import dev.rebound.servers.LocalServers;
import dev.rebound.servers.ReboundServices;
import dev.rebound.servers.S3Server;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.fixtures.ExampleBackup;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.model.Json;
import dev.rebound.model.pipeline.ItemKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.testsupport.VendoredCrds;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The four services as separate processes, with the real broker, S3 server and kube-apiserver:
 * a Velero backup in S3 restored through the API into the cluster. The same services are checked
 * as packaged processes ({@link PackagedServicesTests}), whose last test stops them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestorePipelineIT implements BusPayloadTests, PackagedServicesTests {

  private static Pipeline pipeline;
  private static RestoreApi api;
  private static BackupUploader uploader;
  private static KubernetesClient kube;

  @BeforeAll
  static void start() throws Exception {
    pipeline = Pipeline.start("pipeline");
    api = pipeline.api;
    uploader = pipeline.uploader;
    kube = pipeline.kube;
    uploader.upload(VeleroBackupBuilder.named("tiny").items(List.of(RealisticItems.namespace("tiny"),
        RealisticItems.configMap("tiny", "one", Map.of("a", "1")))).build(), "");
  }

  @Override
  public Pipeline pipeline() {
    return pipeline;
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void aSmallBackupIsRestoredWithANamespaceMapping() throws Exception {
    List<ObjectNode> items = new ArrayList<>();
    items.add(RealisticItems.namespace("small"));
    for (int i = 0; i < 20; i++) {
      items.add(RealisticItems.configMap("small", "settings-" + i, Map.of("key", "value-" + i)));
    }
    items.add(RealisticItems.secret("small", "credentials", Map.of("password", "c2VjcmV0")));
    uploader.upload(VeleroBackupBuilder.named("small").items(items).build(), "");

    RestoreApi.Answer submitted = api.submit("""
        {"apiVersion": "velero.io/v1", "kind": "Restore", "metadata": {"name": "small-1"},
         "spec": {"backupName": "small", "namespaceMapping": {"small": "small-restored"}}}""", "application/json");
    assertEquals(201, submitted.status(), submitted.body());
    assertEquals("New", submitted.json().path("status").path("phase").asText());

    JsonNode restore = api.awaitEnd("small-1", Duration.ofMinutes(2), r -> {});
    assertEquals("Completed", restore.path("status").path("phase").asText(), restore.toString());
    assertEquals(22, restore.path("status").path("progress").path("itemsRestored").asInt(), restore.toString());
    assertEquals(22, restore.path("status").path("progress").path("totalItems").asInt());
    ConfigMap cm = kube.configMaps().inNamespace("small-restored").withName("settings-7").get();
    assertEquals("value-7", cm.getData().get("key"));
    assertEquals("small-1", cm.getMetadata().getLabels().get("velero.io/restore-name"));
    assertEquals("small", cm.getMetadata().getLabels().get("velero.io/backup-name"));
    JsonNode resources = api.get("small-1", "resources").json();
    assertEquals(20, resources.path("v1/ConfigMap").size(), resources.toString());
    assertEquals("small-restored/settings-0(created)", resources.path("v1/ConfigMap").get(0).asText());
    assertEquals("small-restored(created)", resources.path("v1/Namespace").get(0).asText());
    assertFalse(api.get("small-1", "logs").body().isEmpty());
    assertNull(restore.path("status").get("errors"));
  }

  /**
   * The main job's restore (reference 1.4, 2.2, 3.6-3.8, 4, 5): the bundled example restored by
   * {@link ExampleRestore} into a cluster prepared by {@link ExampleScenario}, then restored again.
   */
  @Test
  void theExampleBackupIsRestoredThenReportedAsExistingTheSecondTime() throws Exception {
    dev.rebound.fixtures.VeleroBackup example = ExampleBackup.build("example");
    String target = "shop-restored";
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int exit = new ExampleRestore(new PrintStream(printed, true, StandardCharsets.UTF_8)).run(stack());
    String output = printed.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, output);
    Matcher submittedName = Pattern.compile("Restore request \"([^\"]+)\" submitted successfully").matcher(output);
    assertTrue(submittedName.find(), output);
    String name = submittedName.group(1);
    JsonNode first = api.get(name, "").json();
    assertEquals("Completed", first.path("status").path("phase").asText(), first.toString());
    JsonNode resources = api.get(name, "resources").json();
    int listed = 0;
    for (JsonNode entries : resources) {
      listed += entries.size();
    }
    JsonNode progress = first.path("status").path("progress");
    assertEquals(listed, progress.path("itemsRestored").asInt(), resources.toString());
    assertEquals(listed, progress.path("totalItems").asInt());
    assertNull(first.path("status").get("errors"), api.get(name, "results").body());

    for (ItemKey key : ExampleBackup.restorable(target)) {
      GenericKubernetesResource object = get(key);
      assertTrue(object != null, key + " was not restored");
      if (key.resource().equals("v1/Namespace")) {
        // The scenario created it: Velero records nothing for a namespace that exists (3.5).
        assertTrue(resources.path("v1/Namespace").isMissingNode(), resources.toString());
        continue;
      }
      if (key.resource().equals("v1/ServiceAccount")) {
        // It existed: Velero merges it (3.8); the merge patch does not carry the restore labels.
        assertTrue(resources.path(key.resource()).toString().contains(key.resourceListEntry(
            dev.rebound.model.pipeline.ItemAction.UPDATED)), resources.toString());
        continue;
      }
      assertTrue(resources.path(key.resource()).toString().contains(key.resourceListEntry(
          dev.rebound.model.pipeline.ItemAction.CREATED)), key + " is not listed as created: " + resources);
      Map<String, String> labels = object.getMetadata().getLabels();
      assertEquals(name, labels.get("velero.io/restore-name"), key.toString());
      assertEquals("example", labels.get("velero.io/backup-name"), key.toString());
    }
    assertMainJobRules(example, target, resources, output);

    // Reference 1.4: the restore's files are in the bucket, and say what the API says.
    String dir = "restores/" + name + "/restore-" + name;
    assertEquals(List.of("restores/" + name + "/" + name + "-volumeinfo.json.gz", dir + "-itemoperations.json.gz",
        dir + "-logs.gz", dir + "-resource-list.json.gz", dir + "-results.gz"), uploader.keys("restores/" + name + "/"));
    // 6.6: the example's claim is re-provisioned, not restored from data: no volume info entry.
    assertEquals("[]", new String(gunzip(uploader.read("restores/" + name + "/" + name + "-volumeinfo.json.gz")),
        StandardCharsets.UTF_8).strip());
    assertEquals(resources, Json.mapper().readTree(gunzip(uploader.read(dir + "-resource-list.json.gz"))));
    assertEquals(api.get(name, "results").json(), Json.mapper().readTree(gunzip(uploader.read(dir + "-results.gz"))));
    // The backup is listed as Velero's sync would show it (1.6).
    JsonNode backups = api.get("/api/v1/backups").json();
    assertTrue(backups.path("items").findValuesAsText("name").contains("example"), backups.toString());
    assertEquals("default", api.get("/api/v1/backups/example").json().at("/spec/storageLocation").asText());

    // Metadata the source cluster set is not carried over (3.6 step 7): new uid, new creation time.
    ConfigMap config = kube.configMaps().inNamespace(target).withName(ExampleBackup.CONFIG_MAP).get();
    JsonNode backedUp = example.items().stream().filter(i -> i.path("kind").asText().equals("ConfigMap")
        && i.path("metadata").path("name").asText().equals(ExampleBackup.CONFIG_MAP)).findFirst().orElseThrow();
    assertFalse(backedUp.path("metadata").path("uid").asText().equals(config.getMetadata().getUid()));
    assertFalse(backedUp.path("metadata").path("creationTimestamp").asText()
        .equals(config.getMetadata().getCreationTimestamp()));

    JsonNode second = restore("example-2", "example", target);
    assertEquals("Completed", second.path("status").path("phase").asText(), second.toString());
    assertNull(second.path("status").get("errors"), api.get("example-2", "results").body());
    JsonNode warnings = api.get("example-2", "results").json().path("warnings");
    List<String> messages = new ArrayList<>();
    warnings.path("cluster").forEach(m -> messages.add(m.asText()));
    warnings.path("namespaces").forEach(ns -> ns.forEach(m -> messages.add(m.asText())));
    Pattern exists = Pattern.compile("could not restore, (\\w+):([\\w.-]+) already exists\\. Warning: the in-cluster "
        + "version is different than the backed-up version");
    Set<String> warned = new TreeSet<>();
    for (String m : messages) {
      Matcher match = exists.matcher(m);
      assertTrue(match.matches(), "unexpected warning: " + m);
      assertTrue(warned.add(match.group(1) + ":" + match.group(2)), "two warnings for " + m);
    }
    assertEquals(messages.size(), second.path("status").path("warnings").asInt());
    // Every object existed: none is created (but the token secret the cluster deleted, see above);
    // each is skipped (same as the backup) or failed with its one warning (different).
    int failed = 0;
    int skipped = 0;
    int created = 0;
    for (JsonNode entries : api.get("example-2", "resources").json()) {
      for (JsonNode e : entries) {
        if (e.asText().endsWith("(created)")) {
          assertTrue(e.asText().contains(ExampleBackup.SERVICE_ACCOUNT_TOKEN), e.asText());
          created++;
        }
        failed += e.asText().endsWith("(failed)") ? 1 : 0;
        skipped += e.asText().endsWith("(skipped)") ? 1 : 0;
      }
    }
    JsonNode list = api.get("example-2", "resources").json();
    assertEquals(messages.size(), failed, list.toString());
    // Velero merges an existing ServiceAccount instead of warning (3.8).
    assertTrue(list.path("v1/ServiceAccount").toString().matches(".*\\((updated|skipped)\\).*"), list.toString());
    assertEquals(second.path("status").path("progress").path("itemsRestored").asInt(), failed + skipped + created);
  }

  /**
   * Reference 3.13: a restored pod's exec hook is run by the coordinator before the restore ends.
   * The test cluster has no kubelet, so the container never runs: the hook fails once its wait
   * timeout passes, and the restore ends PartiallyFailed with Velero's error and hook status.
   */
  @Test
  void anExecHookOfARestoredPodIsWaitedForAndAccounted() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode pod = RealisticItems.mirrorPod("hooked", "db-0");
    com.fasterxml.jackson.databind.node.ObjectNode annotations = pod.with("metadata").with("annotations");
    annotations.remove("kubernetes.io/config.mirror");
    annotations.put("post.hook.restore.velero.io/command", "[\"/bin/sh\", \"-c\", \"pg_restore /dump\"]");
    annotations.put("post.hook.restore.velero.io/wait-timeout", "3s");
    uploader.upload(VeleroBackupBuilder.named("hooked").items(List.of(RealisticItems.namespace("hooked"), pod))
        .build(), "");
    RestoreApi.Answer submitted = api.submit("{\"metadata\": {\"name\": \"hooks-1\"}, \"spec\": {\"backupName\": "
        + "\"hooked\"}}", "application/json");
    assertEquals(201, submitted.status(), submitted.body());
    JsonNode ended = api.awaitEnd("hooks-1", Duration.ofMinutes(3), r -> {});
    assertEquals("PartiallyFailed", ended.path("status").path("phase").asText(), ended.toString());
    assertEquals(1, ended.at("/status/hookStatus/hooksAttempted").asInt(), ended.toString());
    assertEquals(1, ended.at("/status/hookStatus/hooksFailed").asInt(), ended.toString());
    String container = pod.at("/spec/containers/0/name").asText();
    assertEquals("[\"hook <from-annotation> in container " + container + " in pod hooked/db-0 not executed: context "
        + "deadline exceeded\"]", api.get("hooks-1", "results").json().at("/errors/namespaces/hooked").toString());
    assertTrue(api.get("hooks-1", "resources").body().contains("hooked/db-0(created)"));
  }

  /** Reference 2.5: each bad request gets Velero's message, and the API keeps serving. */
  @Test
  void badRequestsGetPreciseAnswers() throws Exception {
    RestoreApi.Answer malformedJson = api.submit("{\"apiVersion\": \"velero.io/v1\", \"kind\": \"Restore\", ",
        "application/json");
    assertEquals(400, malformedJson.status());
    assertTrue(malformedJson.json().path("message").asText().startsWith("invalid JSON in the request body: "),
        malformedJson.body());
    RestoreApi.Answer malformedYaml = api.submit("apiVersion: velero.io/v1\nkind: Restore\nspec: [unclosed\n",
        "application/yaml");
    assertEquals(400, malformedYaml.status());
    assertTrue(malformedYaml.json().path("message").asText().startsWith("invalid YAML in the request body: "),
        malformedYaml.body());
    RestoreApi.Answer wrongType = api.submit("{\"spec\": {\"includedNamespaces\": \"shop\"}}", "application/json");
    assertEquals(400, wrongType.status());
    assertTrue(wrongType.json().path("message").asText().contains("(at spec.includedNamespaces)"), wrongType.body());

    assertEquals(List.of("Error retrieving backup: can't find backup velero/nowhere: backups.velero.io \"nowhere\" "
        + "not found"), validationErrors("bad-1", "apiVersion: velero.io/v1\nkind: Restore\nmetadata: {name: bad-1}\n"
        + "spec: {backupName: nowhere}\n", "application/yaml"));
    assertEquals(List.of("Either a backup or schedule must be specified as a source for the restore, but not both"),
        validationErrors("bad-2", "{\"metadata\": {\"name\": \"bad-2\"}, \"spec\": {\"backupName\": \"small\", "
            + "\"scheduleName\": \"daily\"}}", "application/json"));
    assertEquals(List.of("Invalid ExistingResourcePolicy: sometimes"), validationErrors("bad-3",
        "{\"metadata\": {\"name\": \"bad-3\"}, \"spec\": {\"backupName\": \"tiny\", \"existingResourcePolicy\": "
            + "\"sometimes\"}}", "application/json"));
    RestoreApi.Answer again = api.submit("{\"metadata\": {\"name\": \"bad-3\"}, \"spec\": {\"backupName\": \"small\"}}",
        "application/json");
    assertEquals(409, again.status());
    assertEquals("restores.velero.io \"bad-3\" already exists", again.json().path("message").asText());
    assertEquals(404, api.get("never-submitted", "").status());
    assertEquals(200, api.get("/api/v1/restores").status());
  }

  /**
   * Reference 3.7, 6.1 and issue 11's safety rule: a PersistentVolume backed by a native snapshot
   * that nothing can restore is never created (it would point at the backed-up disk); its error is
   * Velero's, under the cluster, and the restore ends PartiallyFailed. Its claim is restored, as
   * Velero restores it.
   */
  @Test
  void aSnapshotVolumeNothingCanRestoreIsNeverCreatedAndTheRestoreIsPartiallyFailed() throws Exception {
    VendoredCrds.install(kube, VendoredCrds.file("velero", "velero.io_volumesnapshotlocations.yaml"));
    ObjectNode claim = RealisticItems.persistentVolumeClaim("ebs", "data", "1Gi");
    ObjectNode pv = RealisticItems.persistentVolume(claim);
    String pvName = pv.path("metadata").path("name").asText();
    uploader.upload(VeleroBackupBuilder.named("ebs").items(List.of(RealisticItems.namespace("ebs"), claim, pv))
        .volumeInfo("ebs", "data", pvName, "NativeSnapshot").volumeSnapshot(pvName, "snap-0a1b2c3d").build(), "");
    RestoreApi.Answer submitted = api.submit("{\"metadata\": {\"name\": \"ebs-1\"}, \"spec\": {\"backupName\": "
        + "\"ebs\", \"namespaceMapping\": {\"ebs\": \"ebs-restored\"}}}", "application/json");
    assertEquals(201, submitted.status(), submitted.body());
    JsonNode restore = api.awaitEnd("ebs-1", Duration.ofMinutes(2), r -> {});
    assertEquals("PartiallyFailed", restore.path("status").path("phase").asText(), restore.toString());
    JsonNode errors = api.get("ebs-1", "results").json().path("errors");
    assertEquals(List.of("error executing PVAction for persistentvolumes/" + pvName + ": "
        + "volumesnapshotlocations.velero.io \"default\" not found"), texts(errors.path("cluster")), errors.toString());
    assertNull(kube.persistentVolumes().withName(pvName).get(), "no PV points at the backed-up disk");
    assertEquals(pvName, kube.persistentVolumeClaims().inNamespace("ebs-restored").withName("data").get().getSpec()
        .getVolumeName());
  }

  /**
   * Reference 6.3 step 6 (Velero's restore finalizer): a claim whose volume a file-system backup
   * holds is restored without it; the cluster binds it to a new volume (made here beforehand, as a
   * provisioner would), and the restore ends only once that volume has the backed-up reclaim policy
   * and exactly the backed-up labels.
   */
  @Test
  void aReProvisionedClaimsNewVolumeGetsItsBackedUpReclaimPolicyAndLabelsBeforeTheRestoreEnds() throws Exception {
    String id = java.util.UUID.randomUUID().toString().substring(0, 6);
    String namespace = "fsb-pv-" + id;
    ObjectNode claim = RealisticItems.persistentVolumeClaim(namespace, "data", "1Gi");
    ((ObjectNode) claim.get("spec")).put("storageClassName", "fsb-" + id); // binds no other test's volume
    ObjectNode pv = RealisticItems.persistentVolume(claim);
    String pvName = pv.path("metadata").path("name").asText();
    kube.storage().v1().storageClasses().resource(new io.fabric8.kubernetes.api.model.storage.StorageClassBuilder()
        .withNewMetadata().withName("fsb-" + id).endMetadata().withProvisioner("kubernetes.io/no-provisioner")
        .withVolumeBindingMode("Immediate").build()).create();
    String provisioned = "pvc-new-" + id;
    kube.persistentVolumes().resource(new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder().withNewMetadata()
        .withName(provisioned).withLabels(Map.of("topology.kubernetes.io/zone", "eu-west-1a")).endMetadata()
        .withNewSpec().withCapacity(Map.of("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")))
        .withAccessModes("ReadWriteOnce").withPersistentVolumeReclaimPolicy("Delete").withStorageClassName("fsb-" + id)
        .withNewHostPath().withPath("/tmp/" + provisioned).endHostPath().endSpec().build()).create();
    ObjectNode info = (ObjectNode) Json.mapper().readTree("{\"pvcName\":\"data\",\"pvcNamespace\":\"" + namespace
        + "\",\"pvName\":\"" + pvName + "\",\"backupMethod\":\"PodVolumeBackup\",\"snapshotDataMoved\":false,"
        + "\"pvInfo\":{\"reclaimPolicy\":\"Retain\",\"labels\":{\"app\":\"orders\"}}}");
    String backup = "fsb-pv-" + id;
    uploader.upload(VeleroBackupBuilder.named(backup).items(List.of(RealisticItems.namespace(namespace), claim, pv))
        .volumeInfo(info).build(), "");
    RestoreApi.Answer submitted = api.submit("{\"metadata\": {\"name\": \"" + backup + "\"}, \"spec\": "
        + "{\"backupName\": \"" + backup + "\"}}", "application/json");
    assertEquals(201, submitted.status(), submitted.body());
    JsonNode restore = api.awaitEnd(backup, Duration.ofMinutes(3), r -> {});
    assertEquals("Completed", restore.path("status").path("phase").asText(), restore + "\n"
        + api.get(backup, "logs").body());
    var patched = kube.persistentVolumes().withName(provisioned).get();
    assertEquals("Retain", patched.getSpec().getPersistentVolumeReclaimPolicy());
    assertEquals(Map.of("app", "orders"), patched.getMetadata().getLabels());
    assertEquals(namespace, patched.getSpec().getClaimRef().getNamespace());
    assertNull(kube.persistentVolumes().withName(pvName).get(), "the backed-up volume is re-provisioned, not restored");
    assertTrue(restore.path("status").path("warnings").isMissingNode(), "a file-system backup refills it: "
        + restore);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(t -> texts.add(t.asText()));
    return texts;
  }

  /** Reference 7: the six velero_restore_* series, by schedule, after each kind of ending. */
  @Test
  void veleroRestoreMetricsCountEachEndingBySchedule() throws Exception {
    uploader.upload(VeleroBackupBuilder.named("m-ok").schedule("m-sched").items(List.of(RealisticItems.namespace("m-ok"),
        RealisticItems.configMap("m-ok", "fine", Map.of("a", "1")))).build(), "");
    // The API server refuses a ConfigMap whose data key has a space: the restore ends PartiallyFailed.
    uploader.upload(VeleroBackupBuilder.named("m-bad").schedule("m-sched").items(List.of(RealisticItems.namespace("m-bad"),
        RealisticItems.configMap("m-bad", "fine", Map.of("a", "1")),
        RealisticItems.configMap("m-bad", "broken", Map.of("not a key", "1")))).build(), "");
    assertEquals("Completed", submitAndAwait("m1", "{\"backupName\": \"m-ok\"}").path("status").path("phase").asText());
    JsonNode partial = submitAndAwait("m2", "{\"backupName\": \"m-bad\"}");
    assertEquals("PartiallyFailed", partial.path("status").path("phase").asText(), partial.toString());
    assertEquals(1, partial.path("status").path("errors").asInt());
    String error = api.get("m2", "results").json().path("errors").path("namespaces").path("m-bad").get(0).asText();
    assertTrue(error.startsWith("error restoring configmaps/m-bad/broken: ConfigMap \"broken\" is invalid: "), error);
    assertEquals("FailedValidation", submitAndAwait("m3", "{\"scheduleName\": \"m-none\"}").path("status")
        .path("phase").asText());

    String metrics = api.get("/q/metrics").body();
    // The Prometheus Java client names the counter family without "_total"; the samples carry it.
    assertTrue(metrics.contains("# TYPE velero_restore_attempt counter"), metrics);
    assertEquals(2.0, sample(metrics, "velero_restore_attempt_total{schedule=\"m-sched\"}"));
    assertEquals(1.0, sample(metrics, "velero_restore_success_total{schedule=\"m-sched\"}"));
    assertEquals(1.0, sample(metrics, "velero_restore_partial_failure_total{schedule=\"m-sched\"}"));
    assertEquals(1.0, sample(metrics, "velero_restore_attempt_total{schedule=\"m-none\"}"));
    assertEquals(1.0, sample(metrics, "velero_restore_validation_failed_total{schedule=\"m-none\"}"));
    assertEquals(0.0, sample(metrics, "velero_restore_failed_total{schedule=\"\"}"));
    assertTrue(metrics.contains("# TYPE velero_restore_total gauge"), metrics);
    assertTrue(sample(metrics, "velero_restore_total") >= 3.0);
    assertTrue(sample(metrics, "rebound_restore_items_total{outcome=\"failed\"}") >= 1.0);
    assertTrue(sample(metrics, "rebound_restore_duration_seconds_count") >= 2.0);
  }

  private JsonNode submitAndAwait(String name, String spec) throws Exception {
    RestoreApi.Answer submitted = api.submit("{\"metadata\": {\"name\": \"" + name + "\"}, \"spec\": " + spec + "}",
        "application/json");
    assertEquals(201, submitted.status(), submitted.body());
    return api.awaitEnd(name, Duration.ofMinutes(2), r -> {});
  }

  /** The value of one sample line of Prometheus text output. */
  private static double sample(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
      }
    }
    throw new AssertionError(series + " is not in the metrics:\n" + metrics.lines()
        .filter(l -> l.contains("restore")).collect(java.util.stream.Collectors.joining("\n")));
  }

  private JsonNode restore(String name, String backup, String target) throws Exception {
    RestoreApi.Answer submitted = api.submit("{\"metadata\": {\"name\": \"" + name + "\"}, \"spec\": {\"backupName\": \""
        + backup + "\", \"namespaceMapping\": {\"" + ExampleBackup.SOURCE_NAMESPACE + "\": \"" + target + "\"}}}",
        "application/json");
    assertEquals(201, submitted.status(), submitted.body());
    return api.awaitEnd(name, Duration.ofMinutes(3), r -> {});
  }

  private List<String> validationErrors(String name, String body, String contentType) throws Exception {
    RestoreApi.Answer submitted = api.submit(body, contentType);
    assertEquals(201, submitted.status(), submitted.body());
    JsonNode ended = api.awaitEnd(name, Duration.ofMinutes(1), r -> {});
    assertEquals("FailedValidation", ended.path("status").path("phase").asText(), ended.toString());
    List<String> errors = new ArrayList<>();
    ended.path("status").path("validationErrors").forEach(e -> errors.add(e.asText()));
    return errors;
  }

  private static GenericKubernetesResource get(ItemKey key) {
    String apiVersion = key.resource().substring(0, key.resource().lastIndexOf('/'));
    String kind = key.resource().substring(key.resource().lastIndexOf('/') + 1);
    var resources = kube.genericKubernetesResources(apiVersion, kind);
    return key.namespace().isEmpty() ? resources.withName(key.name()).get()
        : resources.inNamespace(key.namespace()).withName(key.name()).get();
  }



  private static byte[] gunzip(byte[] gz) throws java.io.IOException {
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  /** Acceptance of issue 5, item 4: what Velero's per-item rules did in the main job's restore. */
  private void assertMainJobRules(dev.rebound.fixtures.VeleroBackup example, String target, JsonNode resources,
      String output) {
    // Node ports (reference 4, velero.io/service): the manifest's choice is kept, the allocated one is not.
    io.fabric8.kubernetes.api.model.Service service = kube.services().inNamespace(target)
        .withName(ExampleBackup.SERVICE).get();
    JsonNode backedUpPorts = example.items().stream().filter(i -> i.path("kind").asText().equals("Service"))
        .findFirst().orElseThrow().at("/spec/ports");
    assertEquals(ExampleBackup.REQUESTED_NODE_PORT, service.getSpec().getPorts().get(0).getNodePort());
    assertTrue(service.getSpec().getPorts().get(1).getNodePort() != null
        && service.getSpec().getPorts().get(1).getNodePort() != backedUpPorts.get(1).path("nodePort").asInt()
        || backedUpPorts.get(1).path("nodePort").asInt() == 0, service.getSpec().getPorts().toString());
    // The existing ServiceAccount was merged: its own label stays, the backup's are added (3.8).
    var sa = kube.serviceAccounts().inNamespace(target).withName(ExampleBackup.SERVICE_ACCOUNT).get();
    assertEquals("platform", sa.getMetadata().getLabels().get(ExampleScenario.EXISTING_SA_LABEL));
    // Storage-class mapping (velero.io/change-storage-class) and the re-provisioned volume (3.7, 3.6 step 9).
    var pvc = kube.persistentVolumeClaims().inNamespace(target).withName(ExampleBackup.PERSISTENT_VOLUME_CLAIM).get();
    assertEquals(ExampleScenario.STORAGE_CLASS, pvc.getSpec().getStorageClassName());
    assertNull(pvc.getSpec().getVolumeName());
    assertEquals("[\"" + ExampleBackup.PERSISTENT_VOLUME + "(skipped)\"]", resources.path("v1/PersistentVolume")
        .toString());
    assertNull(kube.persistentVolumes().withName(ExampleBackup.PERSISTENT_VOLUME).get());
    // The resource modifier (reference 5).
    var deployment = kube.apps().deployments().inNamespace(target).withName(ExampleBackup.DEPLOYMENT).get();
    assertEquals("rebound", deployment.getMetadata().getLabels().get(ExampleScenario.MODIFIER_LABEL));
    assertEquals("example", kube.configMaps().inNamespace(target).withName(ExampleBackup.CONFIG_MAP).get().getData()
        .get(ExampleScenario.MODIFIER_KEY));
    assertTrue(output.contains("Velero's rules at work:"), output);
  }

  /** The endpoints file the main job reads, for this test's servers. */
  private static java.util.Properties stack() {
    java.util.Properties stack = new java.util.Properties();
    var s3 = LocalServers.s3();
    stack.setProperty("api.url", pipeline.services.get("status-reporter").url());
    stack.setProperty("s3.endpoint", s3.endpoint());
    stack.setProperty("s3.region", S3Server.REGION);
    stack.setProperty("s3.access-key", s3.accessKey());
    stack.setProperty("s3.secret-key", s3.secretKey());
    stack.setProperty("s3.bucket", ReboundServices.BUCKET);
    stack.setProperty("kube.kubeconfig", LocalServers.kube().adminKubeconfig().toString());
    stack.setProperty("api.token", LocalServers.kube().adminToken());
    return stack;
  }
}
