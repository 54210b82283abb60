package dev.rebound.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackupBuilder;
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
 * The coordinator is SIGKILLed in the middle of a restore and a new one is started: it rebuilds
 * the restore from the log, plans it again and publishes what is missing, so the restore completes
 * with every item restored once (DESIGN.md, "One log per restore"; Velero marks such a restore
 * Failed).
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
    ReboundServices.Running victim = pipeline.services.get("restore-coordinator");
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
    int total = NAMESPACES * (1 + 2 * PER_KIND);
    assertTrue(restoredAtKill[0] > 0 && restoredAtKill[0] < total, "killed midway, at " + restoredAtKill[0]);
    assertEquals("Completed", ended.path("status").path("phase").asText(), ended.toString());
    assertEquals(total, ended.path("status").path("progress").path("itemsRestored").asInt(), ended.toString());
    assertEquals(total, ended.path("status").path("progress").path("totalItems").asInt(), ended.toString());
    String list = pipeline.api.get("resumed-1", "resources").body();
    assertFalse(list.contains("(failed)") || list.contains("(skipped)"), list);
    for (int n = 0; n < NAMESPACES; n++) {
      assertEquals(PER_KIND, pipeline.kube.configMaps().inNamespace("resumed-" + n)
          .withLabel("velero.io/restore-name", "resumed-1").list().getItems().size());
      assertEquals(PER_KIND, pipeline.kube.secrets().inNamespace("resumed-" + n)
          .withLabel("velero.io/restore-name", "resumed-1").list().getItems().size());
    }
  }
}
