package dev.rebound.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.examplerestore.ExampleScenario;
import dev.rebound.fixtures.ExampleBackup;
import dev.rebound.model.Json;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 acceptance 5 against the real services, broker, bucket and API server: a dry run of the
 * example backup into a namespace where the example was restored before, then one object deleted
 * and one changed, lists per item what the restore would do (create the deleted ones, update the
 * changed one with the JSON merge diff against the live object, skip the identical ones, fail the
 * update the API server refuses, with its message), and
 * leaves the cluster as it was: every object's resourceVersion is the same before and after.
 */
class RestoreDryRunIT {

  private static final String BACKUP = "dry-example";
  private static final String TARGET = "dry-shop";

  private static Pipeline pipeline;

  @BeforeAll
  static void start() throws Exception {
    pipeline = Pipeline.start("restore-dry-run");
    pipeline.uploader.upload(ExampleBackup.build(BACKUP), "");
    ExampleScenario.prepare(pipeline.kube, TARGET);
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static String request(String name, boolean dryRun) throws Exception {
    ObjectNode restore = (ObjectNode) Json.yaml().readTree(ExampleScenario.request(BACKUP, TARGET));
    ObjectNode metadata = restore.with("metadata");
    metadata.put("name", name);
    if (dryRun) {
      metadata.putObject("annotations").put("rebound.dev/dry-run", "true");
    }
    restore.with("spec").put("existingResourcePolicy", "update");
    return Json.mapper().writeValueAsString(restore);
  }

  @Test
  void aDryRunListsWhatTheRestoreWouldDoWithDiffsAndChangesNothing() throws Exception {
    // The example restored for real, then one object changed and two deleted.
    // (PartiallyFailed when another test of this JVM restored the example before: its Service's node port
    // 30080 is taken in this one API server, so this namespace gets no Service.)
    assertEquals(201, pipeline.api.submit(request("dry-before", false), "application/json").status());
    String before = pipeline.api.awaitEnd("dry-before", Duration.ofMinutes(3), r -> {}).path("status").path("phase")
        .asText();
    assertTrue(before.equals("Completed") || before.equals("PartiallyFailed"), before);
    ConfigMap config = pipeline.kube.configMaps().inNamespace(TARGET).withName(ExampleBackup.CONFIG_MAP).get();
    String original = config.getData().get("default.conf");
    pipeline.kube.configMaps().inNamespace(TARGET).withName(ExampleBackup.CONFIG_MAP)
        .edit(c -> { c.getData().put("default.conf", "# changed by hand\n"); return c; });
    pipeline.kube.secrets().inNamespace(TARGET).withName(ExampleBackup.SECRET).delete();
    pipeline.kube.rbac().roles().inNamespace(TARGET).withName(ExampleBackup.ROLE).delete();
    Map<String, String> versions = resourceVersions();

    // The dry run.
    assertEquals(201, pipeline.api.submit(request("dry-run", true), "application/json").status());
    JsonNode ended = pipeline.api.awaitEnd("dry-run", Duration.ofMinutes(3), r -> {});
    String phase = ended.path("status").path("phase").asText();
    assertTrue(phase.equals("Completed") || phase.equals("PartiallyFailed"), ended.toString());
    JsonNode report = pipeline.api.get("dry-run", "dry-run").json();
    System.out.println("dry run of the example backup: " + report.size() + " items");
    Map<String, JsonNode> byItem = new TreeMap<>();
    for (JsonNode entry : report) {
      byItem.put(entry.path("resource").asText() + " " + entry.path("namespace").asText() + "/"
          + entry.path("name").asText(), entry);
      System.out.println("  would " + entry.path("verdict").asText() + ": " + entry.path("resource").asText() + " "
          + entry.path("namespace").asText() + "/" + entry.path("name").asText()
          + (entry.has("detail") ? " (" + entry.path("detail").asText() + ")" : ""));
    }
    assertEquals("create", verdict(byItem, "v1/Secret", ExampleBackup.SECRET).path("verdict").asText());
    assertEquals("create", verdict(byItem, "rbac.authorization.k8s.io/v1/Role", ExampleBackup.ROLE).path("verdict")
        .asText());
    JsonNode changed = verdict(byItem, "v1/ConfigMap", ExampleBackup.CONFIG_MAP);
    assertEquals("update", changed.path("verdict").asText(), changed.toString());
    // The diff is the merge patch from the live object: the backed-up value back, this restore's labels.
    assertEquals(original, changed.path("diff").path("data").path("default.conf").asText(), changed.toString());
    assertEquals(1, changed.path("diff").path("data").size(), "only the changed key: " + changed);
    assertEquals("dry-run", changed.path("diff").path("metadata").path("labels").path("velero.io/restore-name")
        .asText(), changed.toString());
    // A write the API server refuses would fail, in its words: the update of the Service restored before (its
    // allocated clusterIP cannot be unset), or, when another restore holds its node port, its create.
    JsonNode service = verdict(byItem, "v1/Service", ExampleBackup.SERVICE);
    assertEquals("fail", service.path("verdict").asText(), service.toString());
    String refusal = service.path("detail").asText();
    assertTrue(refusal.contains("Service \"web\" is invalid: spec.clusterIPs[0]: Invalid value: []string(nil): primary "
        + "clusterIP can not be unset") || refusal.contains("Service \"web\" is invalid: spec.ports[0].nodePort: "
        + "Invalid value: 30080: provided port is already allocated"), service.toString());
    JsonNode account = verdict(byItem, "v1/ServiceAccount", ExampleBackup.SERVICE_ACCOUNT);
    assertEquals("skip", account.path("verdict").asText(), account.toString());
    for (String widget : ExampleBackup.WIDGETS) {
      JsonNode w = verdict(byItem, ExampleBackup.CRD_GROUP + "/v1/" + ExampleBackup.CRD_KIND, widget);
      assertEquals("skip", w.path("verdict").asText(), w.toString());
      assertNull(w.get("diff"), w.toString());
    }
    // The resource list says the same in Velero's words.
    JsonNode resources = pipeline.api.get("dry-run", "resources").json();
    assertTrue(resources.path("v1/Secret").toString().contains(TARGET + "/" + ExampleBackup.SECRET + "(created)"),
        resources.toString());
    assertTrue(resources.path("v1/ConfigMap").toString().contains(TARGET + "/" + ExampleBackup.CONFIG_MAP
        + "(updated)"), resources.toString());

    // Nothing changed: the same objects with the same resourceVersions; the deleted ones still gone.
    assertEquals(versions, resourceVersions());
    assertNull(pipeline.kube.secrets().inNamespace(TARGET).withName(ExampleBackup.SECRET).get());
    assertNull(pipeline.kube.rbac().roles().inNamespace(TARGET).withName(ExampleBackup.ROLE).get());
    assertEquals("# changed by hand\n", pipeline.kube.configMaps().inNamespace(TARGET)
        .withName(ExampleBackup.CONFIG_MAP).get().getData().get("default.conf"));

    // The report is stored with the restore's files, and served from there once the restore ended.
    assertTrue(pipeline.uploader.keys("restores/dry-run/").contains("restores/dry-run/restore-dry-run-dry-run.json.gz"),
        pipeline.uploader.keys("restores/dry-run/").toString());
    assertEquals(404, pipeline.api.get("dry-before", "dry-run").status(), "a restore that is no dry run");
  }

  private static JsonNode verdict(Map<String, JsonNode> byItem, String resource, String name) {
    JsonNode entry = byItem.get(resource + " " + TARGET + "/" + name);
    assertNotNull(entry, resource + " " + name + " is not in the dry run report: " + byItem.keySet());
    return entry;
  }

  /**
   * Every object of the target namespace of the kinds the restore writes and no controller changes
   * on its own, and the example's cluster-scoped ones: kind/namespace/name to resourceVersion.
   */
  private static Map<String, String> resourceVersions() {
    Map<String, String> versions = new TreeMap<>();
    List<HasMetadata> objects = new ArrayList<>();
    objects.addAll(pipeline.kube.configMaps().inNamespace(TARGET).list().getItems());
    objects.addAll(pipeline.kube.secrets().inNamespace(TARGET).list().getItems());
    objects.addAll(pipeline.kube.services().inNamespace(TARGET).list().getItems());
    objects.addAll(pipeline.kube.serviceAccounts().inNamespace(TARGET).list().getItems());
    objects.addAll(pipeline.kube.rbac().roles().inNamespace(TARGET).list().getItems());
    objects.addAll(pipeline.kube.rbac().roleBindings().inNamespace(TARGET).list().getItems());
    objects.addAll(pipeline.kube.apps().deployments().inNamespace(TARGET).list().getItems());
    objects.addAll(pipeline.kube.persistentVolumeClaims().inNamespace(TARGET).list().getItems());
    objects.addAll(pipeline.kube.configMaps().inNamespace("velero").list().getItems());
    objects.add(pipeline.kube.namespaces().withName(TARGET).get());
    objects.addAll(pipeline.kube.apiextensions().v1().customResourceDefinitions().list().getItems());
    for (GenericKubernetesResource widget : pipeline.kube.genericKubernetesResources(ExampleBackup.CRD_GROUP + "/v1",
        ExampleBackup.CRD_KIND).inNamespace(TARGET).list().getItems()) {
      objects.add(widget);
    }
    for (HasMetadata o : objects) {
      String kind = o.getKind() != null ? o.getKind() : o.getClass().getSimpleName();
      versions.put(kind + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(),
          o.getMetadata().getResourceVersion());
    }
    assertFalse(versions.isEmpty());
    return versions;
  }
}
