package dev.rebound.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Issue 12 scope 4: a restore's plan is recorded once, on {@code rebound.restore-plans}, in one pass
 * over the backup. The backup is deleted from the bucket as soon as the restore is planned, and
 * the coordinator is replaced mid-restore: the later waves and the new coordinator publish from
 * the record, without the tarball and without planning again, and the restore Completes.
 */
class StoredPlanIT {

  private static final int NAMESPACES = 2;
  private static final int PER_KIND = 150;
  private static final int TOTAL = NAMESPACES * (1 + 2 * PER_KIND);

  private static Pipeline pipeline;

  @BeforeAll
  static void start() throws Exception {
    pipeline = Pipeline.start("stored-plan");
    List<ObjectNode> items = new ArrayList<>();
    for (int n = 0; n < NAMESPACES; n++) {
      String ns = "plan-" + n;
      items.add(RealisticItems.namespace(ns));
      for (int i = 0; i < PER_KIND; i++) {
        items.add(RealisticItems.configMap(ns, "config-" + i, Map.of("index", Integer.toString(i))));
        items.add(RealisticItems.secret(ns, "secret-" + i, Map.of("token", "dG9rZW4=")));
      }
    }
    pipeline.uploader.upload(VeleroBackupBuilder.named("once").items(items).build(), "");
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void wavesAndATakeoverPublishFromTheRecordedPlanAfterTheBackupIsGone() throws Exception {
    ReboundServices.Running first = pipeline.services.get("restore-coordinator");
    assertEquals(201, pipeline.api.submit("{\"metadata\": {\"name\": \"once-1\"}, \"spec\": {\"backupName\": \"once\"}}",
        "application/json").status());
    boolean[] replaced = {false};
    int[] deleted = {0};
    ReboundServices.Running[] second = {null};
    JsonNode ended = pipeline.api.awaitEnd("once-1", Duration.ofMinutes(5), r -> {
      if (deleted[0] == 0 && r.path("status").path("progress").path("totalItems").asInt() > 0) {
        deleted[0] = pipeline.uploader.delete("backups/once/"); // planned: the plan is recorded
      }
      int restored = r.path("status").path("progress").path("itemsRestored").asInt();
      if (deleted[0] > 0 && !replaced[0] && restored > NAMESPACES) {
        replaced[0] = true;
        first.process().kill();
        try {
          second[0] = pipeline.services.startAnother("restore-coordinator");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    });
    assertTrue(deleted[0] > 0, "the backup was deleted once the restore was planned");
    assertTrue(pipeline.uploader.keys("backups/once/").isEmpty(), "the backup stays deleted");
    assertTrue(replaced[0], "the coordinator was replaced mid-restore: " + ended);
    assertEquals("Completed", ended.path("status").path("phase").asText(), ended.toString());
    assertEquals(TOTAL, ended.path("status").path("progress").path("itemsRestored").asInt(), ended.toString());
    assertEquals(TOTAL, ended.path("status").path("progress").path("totalItems").asInt(), ended.toString());
    assertEquals(0, ended.path("status").path("errors").asInt(), ended.toString());
    for (int n = 0; n < NAMESPACES; n++) {
      assertEquals(PER_KIND, pipeline.kube.configMaps().inNamespace("plan-" + n)
          .withLabel("velero.io/restore-name", "once-1").list().getItems().size());
      assertEquals(PER_KIND, pipeline.kube.secrets().inNamespace("plan-" + n)
          .withLabel("velero.io/restore-name", "once-1").list().getItems().size());
    }
    // Planned once, by the first coordinator, in one pass; the second one planned nothing.
    assertTrue(first.process().logContains("restore once-1, cluster default: plan recorded on rebound.restore-plans, "
        + TOTAL + " item tasks in 3 waves"), first.process().log().toString());
    assertFalse(second[0].process().logContains("plan recorded"), second[0].process().log().toString());
    assertFalse(second[0].process().logContains("error downloading backup"), second[0].process().log().toString());
    List<RestoreEvent> events = new KafkaTopics(LocalServers.kafka().bootstrapServers()).events("once-1");
    assertEquals(1, events.stream().filter(e -> e instanceof RestoreEvent.Planned).count(), events.toString());
    RestoreEvent.Planned planned = (RestoreEvent.Planned) events.stream().filter(e -> e instanceof RestoreEvent.Planned)
        .findFirst().orElseThrow();
    assertEquals(TOTAL, planned.plan().waves().stream().mapToInt(w -> w.count()).sum(), planned.toString());
  }
}
