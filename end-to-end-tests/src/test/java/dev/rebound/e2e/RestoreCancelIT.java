package dev.rebound.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.servers.ReboundServices;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 acceptance 4 against the real services, broker, bucket and API server: a 10,000-item
 * restore canceled mid-way stops within seconds; nothing of it is created after the cancel was
 * acknowledged (the API's {@code 200} with phase {@code Canceled}); the objects in the cluster are
 * exactly what its results and resource list say was restored; its files are written; a restart of
 * the coordinator never resumes it. A cancel asked for while no coordinator runs is carried out by
 * the next one, and the item-restorers stop at once meanwhile (the API fenced the items).
 */
class RestoreCancelIT {

  private static final String BIG = "cancel-big";
  private static final int ITEMS = 10_000;

  private static Pipeline pipeline;
  /** The coordinator running now (tests kill it and start another). */
  private static ReboundServices.Running coordinator;

  @BeforeAll
  static void start() throws Exception {
    pipeline = Pipeline.start("restore-cancel");
    coordinator = pipeline.services.get("restore-coordinator");
    List<ObjectNode> items = new ArrayList<>(List.of(RealisticItems.namespace(BIG)));
    for (int i = 0; i < ITEMS; i++) {
      items.add(RealisticItems.configMap(BIG, "cm-" + i, Map.of("i", String.valueOf(i))));
    }
    pipeline.uploader.upload(VeleroBackupBuilder.named(BIG).items(items).build(), "");
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static String restore(String name, String target) {
    return "{\"metadata\": {\"name\": \"" + name + "\"}, \"spec\": {\"backupName\": \"" + BIG
        + "\", \"namespaceMapping\": {\"" + BIG + "\": \"" + target + "\"}}}";
  }

  @Test
  void aCanceledRestoreStopsWithinSecondsAndItsResultsAreWhatTheClusterHas() throws Exception {
    RestoreApi api = pipeline.api;
    assertEquals(201, api.submit(restore("cancel-big", "cancel-a"), "application/json").status());
    awaitRestored(api, "cancel-big", 1_500);

    double canceledBefore = metric(api, "rebound_restore_canceled_total");
    Instant asked = Instant.now();
    RestoreApi.Answer canceled = api.cancel("cancel-big");
    Instant acknowledged = Instant.now();
    assertEquals(200, canceled.status(), canceled.body());
    JsonNode restore = canceled.json();
    assertEquals("Canceled", restore.path("status").path("phase").asText(), canceled.body());
    String user = restore.path("metadata").path("annotations").path("rebound.dev/cancel-requested-by").asText();
    assertFalse(user.isEmpty(), canceled.body());
    assertEquals("restore canceled by " + user, restore.path("status").path("failureReason").asText());
    System.out.printf("cancel of a %d-item restore at %d items restored: ended Canceled %d ms after the request%n",
        ITEMS, restore.path("status").path("progress").path("itemsRestored").asInt(),
        Duration.between(asked, acknowledged).toMillis());

    // Nothing is created after the acknowledgement: the count stays, and every object is older.
    List<ConfigMap> atAck = restored("cancel-a");
    Thread.sleep(5_000);
    List<ConfigMap> later = restored("cancel-a");
    assertEquals(atAck.size(), later.size(), "objects created after the cancel was acknowledged");
    for (ConfigMap cm : later) {
      Instant created = Instant.parse(cm.getMetadata().getCreationTimestamp());
      assertFalse(created.isAfter(acknowledged), cm.getMetadata().getName() + " created at " + created);
    }
    assertTrue(later.size() > 0 && later.size() < ITEMS, "canceled mid-way: " + later.size());

    // Its results say exactly what the cluster has, and its files are written.
    await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.uploader.keys("restores/cancel-big/").size() == 5);
    JsonNode ended = api.get("cancel-big", "").json();
    assertEquals("Canceled", ended.path("status").path("phase").asText());
    assertEquals(later.size() + 1, ended.path("status").path("progress").path("itemsRestored").asInt(),
        "items restored: the ConfigMaps and the namespace");
    assertEquals(later.size() + 1, ended.path("status").path("progress").path("totalItems").asInt());
    JsonNode list = api.get("cancel-big", "resources").json();
    assertEquals(later.size(), list.path("v1/ConfigMap").size(), "the resource list's ConfigMaps");
    for (JsonNode entry : list.path("v1/ConfigMap")) {
      assertTrue(entry.asText().startsWith("cancel-a/cm-") && entry.asText().endsWith("(created)"), entry.asText());
    }
    assertEquals(0, ended.path("status").path("errors").asInt());
    String log = api.get("cancel-big", "logs").body();
    assertTrue(log.contains("Cancel requested by " + user), log);
    assertTrue(log.contains("restore canceled by " + user + ": " + (later.size() + 1) + " items restored of the "
        + (ITEMS + 1) + " planned"), log);
    assertEquals(canceledBefore + 1, metric(api, "rebound_restore_canceled_total"), "rebound_restore_canceled_total");

    // Cancel again: the same ended restore. A finished restore cannot be canceled.
    assertEquals(200, api.cancel("cancel-big").status());
    assertEquals(404, api.cancel("no-such-restore").status());

    // A restart of the coordinator never resumes it.
    coordinator.process().kill();
    coordinator = pipeline.services.startAnother("restore-coordinator");
    Thread.sleep(10_000);
    assertEquals(later.size(), restored("cancel-a").size(), "objects created after a restart");
    assertEquals("Canceled", api.get("cancel-big", "").json().path("status").path("phase").asText());
  }

  @Test
  void aCancelWhileNoCoordinatorRunsStopsTheItemsAtOnceAndTheNextCoordinatorEndsIt() throws Exception {
    RestoreApi api = pipeline.api;
    assertEquals(201, api.submit(restore("cancel-orphan", "cancel-b"), "application/json").status());
    awaitRestored(api, "cancel-orphan", 500);
    coordinator.process().kill();

    RestoreApi.Answer accepted = api.cancel("cancel-orphan");
    assertEquals(202, accepted.status(), accepted.body());
    assertEquals("InProgress", accepted.json().path("status").path("phase").asText());
    assertFalse(accepted.json().path("metadata").path("annotations").path("rebound.dev/cancel-requested-by").asText()
        .isEmpty(), accepted.body());
    // The item-restorers read the API's fence: the items still on the topic are skipped, not created.
    int settled = restored("cancel-b").size();
    Thread.sleep(3_000);
    assertEquals(settled, restored("cancel-b").size(), "objects created while the cancel waits for a coordinator");

    coordinator = pipeline.services.startAnother("restore-coordinator");
    JsonNode ended = api.awaitEnd("cancel-orphan", Duration.ofMinutes(2), r -> {});
    assertEquals("Canceled", ended.path("status").path("phase").asText(), ended.toString());
    assertEquals(settled + 1, ended.path("status").path("progress").path("itemsRestored").asInt());
    assertEquals(settled, restored("cancel-b").size());

    // Deleting a running restore cancels it first (reference 8.5, without velero#9190's leak).
    assertEquals(201, api.submit(restore("cancel-deleted", "cancel-c"), "application/json").status());
    awaitRestored(api, "cancel-deleted", 300);
    RestoreApi.Answer deleting = api.delete("cancel-deleted");
    assertEquals(200, deleting.status(), deleting.body());
    assertFalse(deleting.json().path("metadata").path("deletionTimestamp").asText().isEmpty(), deleting.body());
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> api.get("cancel-deleted", "").status() == 404);
    assertEquals(List.of(), pipeline.uploader.keys("restores/cancel-deleted/"), "a deleted restore's files");
    int kept = restored("cancel-c").size();
    assertTrue(kept > 0 && kept < ITEMS, "restored objects stay, as with Velero: " + kept);
    Thread.sleep(3_000);
    assertEquals(kept, restored("cancel-c").size(), "objects created after the deletion");
  }

  private static void awaitRestored(RestoreApi api, String name, int items) {
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() ->
        api.get(name, "").json().path("status").path("progress").path("itemsRestored").asInt() >= items);
  }

  /** The ConfigMaps the restore made in a namespace (the API server's own ConfigMaps left out). */
  private static List<ConfigMap> restored(String namespace) {
    return pipeline.kube.configMaps().inNamespace(namespace).withLabel("velero.io/restore-name").list().getItems();
  }

  private static double metric(RestoreApi api, String name) throws Exception {
    double sum = 0;
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(api.get("/q/metrics").body());
    while (m.find()) {
      sum += Double.parseDouble(m.group(2));
    }
    return sum;
  }
}
