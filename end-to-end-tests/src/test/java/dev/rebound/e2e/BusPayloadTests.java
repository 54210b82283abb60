package dev.rebound.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.model.Topics;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.servers.LocalServers;
import dev.rebound.support.payload.ItemTaskHeaders;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's payload checks, run in the class that already runs a pipeline ({@link RestorePipelineIT}
 * implements this), so no more services start: no backed-up Secret is readable on any topic, and an
 * item task that cannot be decoded ends its restore instead of leaving its wave waiting.
 */
interface BusPayloadTests {

  Pipeline pipeline();

  /**
   * After a real restore of a Secret with a distinctive value, Kafka's own kafka-console-consumer
   * (keys, headers and values) on every topic Rebound uses, and a raw-byte read of every topic on
   * the broker, find the value nowhere, neither plain nor base64, except in the control records
   * this test writes in clear, which prove both checks find it.
   */
  @Test
  default void noTopicHoldsARestoredSecretsValueInClear() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String value = "rebound-bus-check-" + UUID.randomUUID().toString().replace("-", "");
    String namespace = "bus-secret-" + id;
    pipeline().uploader.upload(VeleroBackupBuilder.named("bus-secret-" + id).items(List.of(
        RealisticItems.namespace(namespace),
        RealisticItems.secret(namespace, "vault", Map.of("password", value)))).build(), "");
    String restore = "bus-secret-" + id;
    RestoreApi.Answer submitted = pipeline().api.submit("{\"apiVersion\": \"velero.io/v1\", \"kind\": \"Restore\", "
        + "\"metadata\": {\"name\": \"" + restore + "\"}, \"spec\": {\"backupName\": \"bus-secret-" + id + "\"}}",
        "application/json");
    assertEquals(201, submitted.status(), submitted.body());
    JsonNode ended = pipeline().api.awaitEnd(restore, Duration.ofMinutes(2), r -> {});
    assertEquals("Completed", ended.path("status").path("phase").asText(), ended.toString());
    // The Secret really went through the bus to the cluster.
    assertEquals(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)),
        pipeline().kube.secrets().inNamespace(namespace).withName("vault").get().getData().get("password"));

    KafkaTopics kafka = new KafkaTopics(LocalServers.kafka().bootstrapServers());
    byte[] plain = value.getBytes(StandardCharsets.UTF_8);
    byte[] base64 = Base64.getEncoder().encode(plain);
    String control = "rebound-it.control-" + id;
    kafka.create(control, 1);
    kafka.sendRaw(control, "plain", plain, new RecordHeaders());
    kafka.sendRaw(control, "base64", base64, new RecordHeaders());

    // kafka-console-consumer itself, on every topic Rebound uses and the control topic: every record
    // there now (heartbeats never let it idle).
    Map<String, Set<String>> printed = Map.of("plain", new TreeSet<>(), "base64", new TreeSet<>());
    List<String> topics = new ArrayList<>(Topics.ALL);
    topics.add(control);
    for (String topic : topics) {
      long records = kafka.recordCount(topic);
      byte[] out = LocalServers.kafka().consoleConsume(topic, records, LocalServers.runDir().resolve("console-" + id),
          Duration.ofSeconds(10));
      if (KafkaTopics.contains(out, plain)) {
        printed.get("plain").add(topic);
      }
      if (KafkaTopics.contains(out, base64)) {
        printed.get("base64").add(topic);
      }
    }
    assertEquals(Map.of("plain", Set.of(control), "base64", Set.of(control)), printed);
    // And every topic on the broker, Kafka's internal ones included, read as raw bytes.
    Set<String> scanned = kafka.topics();
    assertTrue(scanned.containsAll(Topics.ALL), "every topic Rebound uses is read: " + scanned);
    assertEquals(Set.of(control), kafka.topicsContaining(plain), "plain");
    assertEquals(Set.of(control), kafka.topicsContaining(base64), "base64");
  }

  /**
   * A task of the restore's second wave that no item-restorer can decode (its value is not sealed)
   * becomes that item's error while the first wave waits for a terminating namespace; the restore
   * ends PartiallyFailed with it instead of hanging, and the item's real task, restored later,
   * counts once.
   */
  @Test
  default void aRestoreWithAnUndecodableTaskEndsPartiallyFailedNamingIt() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String namespace = "bus-poison-" + id;
    String restore = "bus-poison-" + id;
    var kube = pipeline().kube;
    // The target namespace is terminating, held by a finalizer: the namespaces wave waits for it.
    kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    kube.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("hold")
        .withFinalizers("rebound.dev/hold").endMetadata().build()).create();
    kube.namespaces().withName(namespace).delete();
    List<ObjectNode> items = List.of(RealisticItems.namespace(namespace),
        RealisticItems.configMap(namespace, "good", Map.of("k", "v")),
        RealisticItems.configMap(namespace, "poisoned", Map.of("k", "v")));
    pipeline().uploader.upload(VeleroBackupBuilder.named(restore).items(items).build(), "");
    KafkaTopics kafka = new KafkaTopics(LocalServers.kafka().bootstrapServers());
    assertEquals(201, pipeline().api.submit("{\"apiVersion\": \"velero.io/v1\", \"kind\": \"Restore\", "
        + "\"metadata\": {\"name\": \"" + restore + "\"}, \"spec\": {\"backupName\": \"" + restore + "\"}}",
        "application/json").status());

    RestoreEvent.Planned planned = await().atMost(Duration.ofMinutes(1)).until(() -> kafka.events(restore).stream()
        .filter(RestoreEvent.Planned.class::isInstance).map(RestoreEvent.Planned.class::cast).findFirst(),
        java.util.Optional::isPresent).orElseThrow();
    List<RestoreEvent.WaveSummary> later = planned.waves().stream().filter(w -> !w.name().equals("namespaces")).toList();
    assertEquals(1, later.size(), planned.waves().toString());
    ItemKey key = new ItemKey("v1/ConfigMap", namespace, "poisoned");
    RecordHeaders headers = new RecordHeaders();
    put(headers, ItemTaskHeaders.RESTORE, restore);
    put(headers, ItemTaskHeaders.CLUSTER, "default");
    put(headers, ItemTaskHeaders.WAVE, Integer.toString(later.get(0).index()));
    put(headers, ItemTaskHeaders.RESOURCE, key.resource());
    put(headers, ItemTaskHeaders.GROUP_RESOURCE, "configmaps");
    put(headers, ItemTaskHeaders.NAMESPACE, namespace);
    put(headers, ItemTaskHeaders.NAME, key.name());
    kafka.sendRaw(Topics.RESTORE_ITEMS, restore + "/default/v1/ConfigMap/" + namespace + "/poisoned",
        "{\"truncated".getBytes(StandardCharsets.UTF_8), headers);
    String message = "error restoring configmaps/" + namespace + "/poisoned: the item task could not be decoded: "
        + "the value is not sealed by Rebound (no \"RBP2\" or \"RBP1\" prefix; 11 bytes)";
    await().atMost(Duration.ofMinutes(1)).until(() -> kafka.events(restore).stream()
        .anyMatch(e -> e instanceof RestoreEvent.ItemRestored r && r.key().equals(key)
            && r.action() == ItemAction.FAILED));
    int poisonedWave = later.get(0).index();
    assertTrue(kafka.events(restore).stream().noneMatch(e -> e instanceof RestoreEvent.WaveStarted w
        && w.wave() == poisonedWave), "the poisoned item's wave has not started");

    kube.configMaps().inNamespace(namespace).withName("hold").edit(c -> new ConfigMapBuilder(c).editMetadata()
        .withFinalizers(List.of()).endMetadata().build());
    JsonNode ended = pipeline().api.awaitEnd(restore, Duration.ofMinutes(3), r -> {});
    assertEquals("PartiallyFailed", ended.path("status").path("phase").asText(), ended.toString());
    assertEquals(1, ended.path("status").path("errors").asInt(), ended.toString());
    assertEquals(message, pipeline().api.get(restore, "results").json().path("errors").path("namespaces")
        .path(namespace).get(0).asText());
    assertEquals("v", kube.configMaps().inNamespace(namespace).withName("good").get().getData().get("k"));
  }

  private static void put(RecordHeaders headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
