package dev.rebound.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.servers.LocalServers;
import dev.rebound.servers.ReboundServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Coordinators killed in the middle of a restore. Alone, a new one is started: it rebuilds the
 * restore from the log, plans it again and publishes what is missing, so the restore completes
 * with every item restored once (DESIGN.md, "One log per restore"; Velero marks such a restore
 * Failed). Two at once: only the owner of the restore's log partition drives it, and the other
 * takes it over when the owner dies (DESIGN.md, "Ownership").
 */
class CoordinatorCrashIT {

  private static final int NAMESPACES = 4;
  private static final int PER_KIND = 100;

  private static Pipeline pipeline;

  @BeforeAll
  static void start() throws Exception {
    pipeline = Pipeline.start("coordinator-crash");
    List<ObjectNode> items = new ArrayList<>();
    for (int n = 0; n < NAMESPACES; n++) {
      String ns = "resumed-" + n;
      items.add(RealisticItems.namespace(ns));
      for (int i = 0; i < PER_KIND; i++) {
        items.add(RealisticItems.configMap(ns, "config-" + i, Map.of("index", Integer.toString(i))));
        items.add(RealisticItems.secret(ns, "secret-" + i, Map.of("token", "dG9rZW4=")));
      }
    }
    pipeline.uploader.upload(VeleroBackupBuilder.named("resumed").items(items).build(), "");
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void aRestartedCoordinatorFinishesTheRestoreItsPredecessorStarted() throws Exception {
    ReboundServices.Running victim = pipeline.services.running().stream()
        .filter(r -> r.name().equals("restore-coordinator") && r.process().isAlive()).findFirst().orElseThrow();
    RestoreApi.Answer submitted = pipeline.api.submit("{\"metadata\": {\"name\": \"resumed-1\"}, \"spec\": "
        + "{\"backupName\": \"resumed\"}}", "application/json");
    assertEquals(201, submitted.status(), submitted.body());
    int[] restoredAtKill = {-1};
    JsonNode ended = pipeline.api.awaitEnd("resumed-1", Duration.ofMinutes(5), r -> {
      int restored = r.path("status").path("progress").path("itemsRestored").asInt();
      if (restoredAtKill[0] < 0 && restored >= 150) {
        restoredAtKill[0] = restored;
        victim.process().kill();
        try {
          pipeline.services.startAnother("restore-coordinator");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    });
    assertFalse(victim.process().isAlive(), "the first coordinator was killed");
    assertRestoredOnce("resumed-1", "resumed-", ended, restoredAtKill[0]);
  }

  @Test
  void ofTwoCoordinatorsOnlyTheOwnerDrivesARestoreAndTheOtherTakesItOverWhenItIsKilled() throws Exception {
    ReboundServices.Running second = pipeline.services.startAnother("restore-coordinator");
    List<ReboundServices.Running> coordinators = pipeline.services.running().stream()
        .filter(r -> r.name().equals("restore-coordinator") && r.process().isAlive()).toList();
    assertEquals(2, coordinators.size(), "two coordinators run");
    KafkaTopics kafka = new KafkaTopics(LocalServers.kafka().bootstrapServers());
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
        .until(() -> kafka.membersWithPartitions("rebound-restore-coordinator") == 2);
    StringBuilder mapping = new StringBuilder();
    for (int n = 0; n < NAMESPACES; n++) {
      mapping.append(n == 0 ? "" : ", ").append("\"resumed-").append(n).append("\": \"owned-").append(n).append('"');
    }
    RestoreApi.Answer submitted = pipeline.api.submit("{\"metadata\": {\"name\": \"owned-1\"}, \"spec\": "
        + "{\"backupName\": \"resumed\", \"namespaceMapping\": {" + mapping + "}}}", "application/json");
    assertEquals(201, submitted.status(), submitted.body());
    String published = "restore owned-1, cluster default: wave ";
    ReboundServices.Running[] owner = {null};
    int[] restoredAtKill = {-1};
    JsonNode ended = pipeline.api.awaitEnd("owned-1", Duration.ofMinutes(5), r -> {
      int restored = r.path("status").path("progress").path("itemsRestored").asInt();
      if (restoredAtKill[0] < 0 && restored >= 150) {
        List<ReboundServices.Running> driving = coordinators.stream()
            .filter(c -> c.process().logContains(published)).toList();
        assertEquals(1, driving.size(), "exactly one coordinator publishes the restore's waves");
        owner[0] = driving.get(0);
        restoredAtKill[0] = restored;
        owner[0].process().kill();
      }
    });
    assertTrue(owner[0] != null && !owner[0].process().isAlive(), "the owner was killed");
    ReboundServices.Running survivor = owner[0] == second ? coordinators.get(0) : second;
    assertTrue(survivor.process().logContains("restore owned-1 in cluster default at wave")
        || survivor.process().logContains(published), "the survivor took the restore over");
    assertRestoredOnce("owned-1", "owned-", ended, restoredAtKill[0]);
    // Driven once: planned once, and each wave started once, across both coordinators.
    List<RestoreEvent> events = kafka.events("owned-1");
    assertEquals(1, events.stream().filter(e -> e instanceof RestoreEvent.Planned).count(), events.toString());
    Map<Integer, Long> starts = events.stream().filter(e -> e instanceof RestoreEvent.WaveStarted)
        .collect(java.util.stream.Collectors.groupingBy(e -> ((RestoreEvent.WaveStarted) e).wave(),
            java.util.stream.Collectors.counting()));
    assertTrue(starts.values().stream().allMatch(n -> n == 1), "each wave started once: " + starts);
  }

  private static void assertRestoredOnce(String name, String namespacePrefix, JsonNode ended, int restoredAtKill)
      throws Exception {
    int total = NAMESPACES * (1 + 2 * PER_KIND);
    assertTrue(restoredAtKill > 0 && restoredAtKill < total, "killed midway, at " + restoredAtKill);
    assertEquals("Completed", ended.path("status").path("phase").asText(), ended.toString());
    assertEquals(total, ended.path("status").path("progress").path("itemsRestored").asInt(), ended.toString());
    assertEquals(total, ended.path("status").path("progress").path("totalItems").asInt(), ended.toString());
    String list = pipeline.api.get(name, "resources").body();
    assertFalse(list.contains("(failed)") || list.contains("(skipped)"), list);
    for (int n = 0; n < NAMESPACES; n++) {
      assertEquals(PER_KIND, pipeline.kube.configMaps().inNamespace(namespacePrefix + n)
          .withLabel("velero.io/restore-name", name).list().getItems().size());
      assertEquals(PER_KIND, pipeline.kube.secrets().inNamespace(namespacePrefix + n)
          .withLabel("velero.io/restore-name", name).list().getItems().size());
    }
  }
}
