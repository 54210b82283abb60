package dev.rebound.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.model.Json;
import dev.rebound.servers.ReboundServices;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ARCHITECTURE.md, "exactly-once accounting on at-least-once delivery": one of two item-restorers
 * is killed with SIGKILL in the middle of a restore of 1,206 items; the restore completes with
 * the same counts and resource list as a run without the kill, every object created once.
 */
class ItemRestorerCrashIT {

  private static final int NAMESPACES = 6;
  private static final int PER_KIND = 100;

  private static Pipeline pipeline;
  private static ReboundServices.Running victim;
  private static RestoreApi api;
  private static KubernetesClient kube;

  @BeforeAll
  static void start() throws Exception {
    pipeline = Pipeline.start("crash");
    victim = pipeline.services.get("item-restorer");
    pipeline.services.startAnother("item-restorer");
    api = pipeline.api;
    kube = pipeline.kube;
    List<ObjectNode> items = new ArrayList<>();
    for (int n = 0; n < NAMESPACES; n++) {
      String ns = "many-" + n;
      items.add(RealisticItems.namespace(ns));
      for (int i = 0; i < PER_KIND; i++) {
        items.add(RealisticItems.configMap(ns, "config-" + i, Map.of("index", Integer.toString(i))));
        items.add(RealisticItems.secret(ns, "secret-" + i, Map.of("token", "dG9rZW4=")));
      }
    }
    pipeline.uploader.upload(VeleroBackupBuilder.named("many").items(items).build(), "");
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void killingAnItemRestorerMidRestoreLosesNothingAndCountsNothingTwice() throws Exception {
    JsonNode baseline = restore("many-baseline", "base", false);
    JsonNode crashed = restore("many-crash", "crash", true);
    assertFalse(victim.process().isAlive(), "the item-restorer was killed");

    int total = NAMESPACES * (1 + 2 * PER_KIND);
    for (JsonNode r : List.of(baseline, crashed)) {
      assertEquals("Completed", r.path("status").path("phase").asText(), r.toString());
      assertEquals(total, r.path("status").path("progress").path("itemsRestored").asInt(), r.toString());
      assertEquals(total, r.path("status").path("progress").path("totalItems").asInt(), r.toString());
      assertTrue(r.path("status").path("warnings").isMissingNode(), r.toString());
    }
    String baselineList = api.get("many-baseline", "resources").body().replace("base-", "X-");
    String crashedList = api.get("many-crash", "resources").body().replace("crash-", "X-");
    assertEquals(Json.mapper().readTree(baselineList), Json.mapper().readTree(crashedList));
    assertFalse(crashedList.contains("(failed)") || crashedList.contains("(skipped)"), crashedList);
    for (int n = 0; n < NAMESPACES; n++) {
      List<ConfigMap> configMaps = kube.configMaps().inNamespace("crash-many-" + n)
          .withLabel("velero.io/restore-name", "many-crash").list().getItems();
      assertEquals(PER_KIND, configMaps.size(), "config maps in crash-many-" + n);
      assertEquals(PER_KIND, kube.secrets().inNamespace("crash-many-" + n)
          .withLabel("velero.io/restore-name", "many-crash").list().getItems().size());
    }
  }

  private JsonNode restore(String name, String prefix, boolean killMidway) throws Exception {
    StringBuilder mapping = new StringBuilder();
    for (int n = 0; n < NAMESPACES; n++) {
      mapping.append(n == 0 ? "" : ",").append("\"many-").append(n).append("\": \"").append(prefix).append("-many-")
          .append(n).append('"');
    }
    RestoreApi.Answer submitted = api.submit("{\"metadata\": {\"name\": \"" + name + "\"}, \"spec\": {\"backupName\": "
        + "\"many\", \"namespaceMapping\": {" + mapping + "}}}", "application/json");
    assertEquals(201, submitted.status(), submitted.body());
    AtomicBoolean killed = new AtomicBoolean(!killMidway);
    int[] restoredAtKill = {-1};
    JsonNode ended = api.awaitEnd(name, Duration.ofMinutes(5), r -> {
      int restored = r.path("status").path("progress").path("itemsRestored").asInt();
      if (!killed.get() && restored >= 150) {
        restoredAtKill[0] = restored;
        victim.process().kill();
        killed.set(true);
      }
    });
    if (killMidway) {
      int total = ended.path("status").path("progress").path("totalItems").asInt();
      assertTrue(restoredAtKill[0] > 0 && restoredAtKill[0] < total * 3 / 4,
          "killed in the middle of the restore: at " + restoredAtKill[0] + " of " + total);
    }
    return ended;
  }
}
