package dev.rebound.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.model.Json;
import dev.rebound.servers.LocalServers;
import dev.rebound.servers.ReboundServices;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 scopes 5 and 6 against the real services, broker, bucket and API server: a restore with
 * inline resource modifiers gets its own ConfigMap in the target's Velero namespace and its objects
 * patched; deleting it (Velero's semantics, reference 8.5) removes its files under
 * {@code restores/<name>/} and that ConfigMap, frees its name, leaves the restored objects and never
 * lowers a counter, also across a restart of the status-reporter and the coordinator; a running
 * restore is canceled first, then deleted (issue 14 scope 2); an invalid inline document is refused with Velero's message before
 * anything exists.
 */
class RestoreDeletionIT {

  private static final String APP = "deletion-app";
  private static final String BIG = "deletion-big";
  private static final String NAME = "del-app";
  private static final String CONFIG_MAP = NAME + "-resource-modifiers";
  private static final String RULES = "version: v1\nresourceModifierRules:\n- conditions:\n    groupResource: configmaps\n"
      + "    resourceNameRegex: ^settings$\n  patches:\n  - operation: replace\n    path: /data/mode\n"
      + "    value: patched\n";

  private static Pipeline pipeline;

  @BeforeAll
  static void start() throws Exception {
    pipeline = Pipeline.start("restore-deletion");
    pipeline.uploader.upload(VeleroBackupBuilder.named(APP).items(List.of(RealisticItems.namespace(APP),
        RealisticItems.configMap(APP, "settings", Map.of("mode", "original")),
        RealisticItems.configMap(APP, "other", Map.of("mode", "original")))).build(), "");
    List<ObjectNode> many = new ArrayList<>(List.of(RealisticItems.namespace(BIG)));
    for (int i = 0; i < 600; i++) {
      many.add(RealisticItems.configMap(BIG, "cm-" + i, Map.of("i", String.valueOf(i))));
    }
    pipeline.uploader.upload(VeleroBackupBuilder.named(BIG).items(many).build(), "");
    if (pipeline.kube.namespaces().withName("velero").get() == null) {
      pipeline.kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("velero").endMetadata()
          .build()).create();
    }
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static String restore(String name, String target, String rules) throws Exception {
    ObjectNode r = Json.mapper().createObjectNode();
    r.putObject("metadata").put("name", name).putObject("annotations").put("rebound.dev/resource-modifiers", rules);
    r.putObject("spec").put("backupName", APP).putObject("namespaceMapping").put(APP, target);
    return Json.mapper().writeValueAsString(r);
  }

  @Test
  void aDeletedRestoreTakesItsFilesAndConfigMapAndFreesItsName() throws Exception {
    RestoreApi api = pipeline.api;

    // An invalid inline document: 400 with Velero's message, nothing in the log.
    RestoreApi.Answer invalid = api.submit(restore("del-invalid", "deletion-x", RULES.replace("replace", "rename")),
        "application/json");
    assertEquals(400, invalid.status(), invalid.body());
    assertEquals("Validation error in resource modifiers provided in configmap velero/del-invalid-resource-modifiers: "
        + "unsupported operation rename", invalid.json().path("message").asText());
    assertEquals(404, api.get("del-invalid", "").status());

    // The restore: its own ConfigMap, its objects patched by it.
    RestoreApi.Answer created = api.submit(restore(NAME, "deletion-app-1", RULES), "application/json");
    assertEquals(201, created.status(), created.body());
    String uid = created.json().path("metadata").path("uid").asText();
    assertEquals(CONFIG_MAP, created.json().path("spec").path("resourceModifier").path("name").asText());
    assertEquals("Completed", api.awaitEnd(NAME, Duration.ofMinutes(2), r -> {}).path("status").path("phase").asText());
    assertEquals("patched", pipeline.kube.configMaps().inNamespace("deletion-app-1").withName("settings").get()
        .getData().get("mode"));
    assertEquals("original", pipeline.kube.configMaps().inNamespace("deletion-app-1").withName("other").get()
        .getData().get("mode"));
    var cm = pipeline.kube.configMaps().inNamespace("velero").withName(CONFIG_MAP).get();
    assertNotNull(cm, "the inline modifiers' ConfigMap");
    assertEquals(Map.of("resource-modifiers.yaml", RULES), cm.getData());
    assertEquals(uid, cm.getMetadata().getAnnotations().get("rebound.dev/restore-uid"));
    assertEquals(5, pipeline.uploader.keys("restores/" + NAME + "/").size(),
        pipeline.uploader.keys("restores/").toString());

    // A running restore is canceled first, then deleted with its files; what it restored stays.
    assertEquals(201, api.submit("{\"metadata\": {\"name\": \"del-big\"}, \"spec\": {\"backupName\": \"" + BIG + "\"}}",
        "application/json").status());
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() ->
        api.get("del-big", "").json().path("status").path("progress").path("itemsRestored").asInt() >= 50);
    RestoreApi.Answer running = api.delete("del-big");
    assertEquals(200, running.status(), running.body());
    assertFalse(running.json().path("metadata").path("deletionTimestamp").asText().isEmpty(), running.body());
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> api.get("del-big", "").status() == 404);
    assertEquals(List.of(), pipeline.uploader.keys("restores/del-big/"), "the files of a restore deleted running");
    int kept = pipeline.kube.configMaps().inNamespace(BIG).withLabel("velero.io/restore-name", "del-big").list()
        .getItems().size();
    assertTrue(kept >= 50 && kept < 600, "canceled mid-way, what it restored stays: " + kept);
    assertEquals(201, api.submit("{\"metadata\": {\"name\": \"del-keep\"}, \"spec\": {\"backupName\": \"" + APP
        + "\", \"namespaceMapping\": {\"" + APP + "\": \"deletion-keep\"}}}", "application/json").status());
    assertEquals("Completed", api.awaitEnd("del-keep", Duration.ofMinutes(2), r -> {}).path("status").path("phase")
        .asText());

    // No coordinator while the deletion is asked for: the restore shows it is being deleted, its name stays taken.
    Map<String, Double> before = counters(api);
    pipeline.services.get("restore-coordinator").process().kill();
    RestoreApi.Answer deleting = api.delete(NAME);
    assertEquals(200, deleting.status(), deleting.body());
    String since = deleting.json().path("metadata").path("deletionTimestamp").asText();
    assertFalse(since.isEmpty(), deleting.body());
    assertEquals(uid, deleting.json().path("metadata").path("uid").asText());
    assertEquals(since, api.get(NAME, "").json().path("metadata").path("deletionTimestamp").asText());
    assertEquals(200, api.delete(NAME).status(), "asking again changes nothing");
    RestoreApi.Answer whileDeleting = api.submit(restore(NAME, "deletion-app-2", RULES), "application/json");
    assertEquals(409, whileDeleting.status(), whileDeleting.body());
    assertEquals("object is being deleted: restores.velero.io \"" + NAME + "\" already exists",
        whileDeleting.json().path("message").asText());
    assertEquals(5, pipeline.uploader.keys("restores/" + NAME + "/").size());

    // A coordinator takes the partition over and finishes the deletion the log asks for.
    ReboundServices.Running coordinator = pipeline.services.startAnother("restore-coordinator");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> api.get(NAME, "").status() == 404);
    assertEquals(List.of(), pipeline.uploader.keys("restores/" + NAME + "/"), "the files of a deleted restore");
    assertNull(pipeline.kube.configMaps().inNamespace("velero").withName(CONFIG_MAP).get());
    assertEquals(5, pipeline.uploader.keys("restores/del-keep/").size(), "another restore's files stay");
    assertEquals("patched", pipeline.kube.configMaps().inNamespace("deletion-app-1").withName("settings").get()
        .getData().get("mode"), "restored objects stay, as with Velero");
    for (JsonNode listed : api.get("/api/v1/restores").json().path("items")) {
      assertFalse(NAME.equals(listed.path("metadata").path("name").asText()), "a deleted restore is not listed");
    }
    assertEquals(404, api.delete(NAME).status());
    Map<String, Double> after = counters(api);
    assertEquals(before.get("velero_restore_total") - 1, after.get("velero_restore_total").doubleValue(),
        "restores that exist");
    after.remove("velero_restore_total");
    before.remove("velero_restore_total");
    assertEquals(before, after, "a deletion lowers no counter");

    // The name is free: a new restore of it, with a ConfigMap of its own.
    RestoreApi.Answer again = api.submit(restore(NAME, "deletion-app-2", RULES), "application/json");
    assertEquals(201, again.status(), again.body());
    String secondUid = again.json().path("metadata").path("uid").asText();
    assertEquals("Completed", api.awaitEnd(NAME, Duration.ofMinutes(2), r -> {}).path("status").path("phase").asText());
    assertEquals(secondUid, pipeline.kube.configMaps().inNamespace("velero").withName(CONFIG_MAP).get().getMetadata()
        .getAnnotations().get("rebound.dev/restore-uid"));
    assertEquals("patched", pipeline.kube.configMaps().inNamespace("deletion-app-2").withName("settings").get()
        .getData().get("mode"));

    // A restart reads the deletion from the snapshots: one restore of the name, the same counters.
    Map<String, Double> beforeRestart = counters(api);
    pipeline.services.get("status-reporter").process().kill();
    coordinator.process().kill();
    ReboundServices.Running reporter = pipeline.services.startAnother("status-reporter");
    pipeline.services.startAnother("restore-coordinator");
    RestoreApi restarted = new RestoreApi(reporter.url(), LocalServers.kube().adminToken());
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertEquals(beforeRestart, counters(restarted)));
    List<String> uids = new ArrayList<>();
    for (JsonNode listed : restarted.get("/api/v1/restores").json().path("items")) {
      if (NAME.equals(listed.path("metadata").path("name").asText())) {
        uids.add(listed.path("metadata").path("uid").asText());
      }
    }
    assertEquals(List.of(secondUid), uids);

    // The restarted coordinator deletes too (it knows the ended restore's uid from its snapshot).
    assertEquals(200, restarted.delete(NAME).status());
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> restarted.get(NAME, "").status() == 404);
    assertEquals(List.of(), pipeline.uploader.keys("restores/" + NAME + "/"));
    assertNull(pipeline.kube.configMaps().inNamespace("velero").withName(CONFIG_MAP).get());
  }

  /** Velero's restore metrics as the one status-reporter exports them, summed over schedules. */
  private static Map<String, Double> counters(RestoreApi api) throws Exception {
    Map<String, Double> sums = new TreeMap<>();
    Matcher m = Pattern.compile("(?m)^(velero_restore_[a-z_]+|rebound_restore_items_total)(\\{[^}]*\\})? "
        + "([0-9.eE+-]+)$").matcher(api.get("/q/metrics").body());
    while (m.find()) {
      sums.merge(m.group(1), Double.parseDouble(m.group(3)), Double::sum);
    }
    assertTrue(sums.containsKey("velero_restore_success_total"), "no velero_restore_* exported: " + sums);
    return sums;
  }
}
