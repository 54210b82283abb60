package dev.rebound.itemrestorer.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import dev.rebound.model.Topics;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.RestoreContext;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.servers.LocalServers;
import dev.rebound.servers.Ports;
import dev.rebound.support.payload.ItemTaskSerializer;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.KubeServerResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Against the real broker and API server: items of a cluster that does not answer wait out their
 * restore's outage timeout in their own cluster's lane, and the items of another cluster, published
 * behind them, are restored meanwhile (DESIGN, "Per-cluster lanes"). Before the lanes, the waiting
 * items held every thread of the shared pool and the others waited for them.
 */
@QuarkusTest
@WithTestResource(KafkaServerResource.class)
@WithTestResource(value = KubeServerResource.class,
    initArgs = @ResourceArg(name = "prefix", value = "rebound.item-restorer"))
@WithTestResource(ClusterLanesIT.UnreachableCluster.class)
class ClusterLanesIT {

  private static final Duration OUTAGE_TIMEOUT = Duration.ofSeconds(60);

  /** A target cluster {@code unreachable}: nothing listens at its server's port. */
  public static class UnreachableCluster implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
      try {
        Path kubeconfig = Files.createTempFile("unreachable", ".kubeconfig");
        Files.writeString(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: unreachable
              cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}
            users:
            - name: nobody
              user: {token: not-a-token}
            contexts:
            - name: unreachable
              context: {cluster: unreachable, user: nobody}
            current-context: unreachable
            """.formatted(Ports.free()));
        // A few threads per lane, so that the old shared pool (64) would be taken by the waiting items at once.
        return Map.of("rebound.item-restorer.clusters.unreachable.kubeconfig", kubeconfig.toString(),
            "rebound.item-restorer.max-concurrency-per-cluster", "4");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public void stop() {}
  }

  @Test
  void theItemsOfAnotherClusterAreRestoredWhileAnUnreachableClustersItemsWait() throws Exception {
    String waiting = "lanes-down-" + UUID.randomUUID().toString().substring(0, 8);
    String flowing = "lanes-up-" + UUID.randomUUID().toString().substring(0, 8);
    List<ItemTask> down = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      down.add(configMap(waiting, "unreachable", waiting + "-" + i));
    }
    List<ItemTask> up = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      up.add(configMap(flowing, "default", flowing + "-" + i));
    }
    send(down); // first: in every partition the waiting cluster's items come before the others
    send(up);

    List<RestoreEvent.ItemRestored> restored = awaitResults(flowing, up.size(), Duration.ofSeconds(60));
    assertTrue(restored.stream().allMatch(r -> r.action() == ItemAction.CREATED), restored.toString());
    List<RestoreEvent.ItemRestored> failed = awaitResults(waiting, down.size(), OUTAGE_TIMEOUT.plusSeconds(60));
    assertTrue(failed.stream().allMatch(r -> r.action() == ItemAction.FAILED), failed.get(0).toString());
    Instant lastRestored = restored.stream().map(RestoreEvent.ItemRestored::at).max(Comparator.naturalOrder())
        .orElseThrow();
    Instant firstFailed = failed.stream().map(RestoreEvent.ItemRestored::at).min(Comparator.naturalOrder())
        .orElseThrow();
    // The unreachable cluster's items fail only once its outage is older than their timeout; the
    // other cluster's were all restored before that, not after.
    assertTrue(lastRestored.isBefore(firstFailed), "last restored " + lastRestored + ", first failed " + firstFailed);
    // Each fails with the last transient failure it met once its outage timeout passed.
    for (RestoreEvent.ItemRestored r : failed) {
      List<String> errors = r.errors().namespaces().get("default");
      assertEquals(1, errors.size(), r.toString());
      assertTrue(errors.get(0).startsWith("error restoring configmaps/default/" + r.key().name() + ": ")
          && errors.get(0).contains("Connection refused"), errors.get(0));
    }
  }

  private static ItemTask configMap(String restore, String cluster, String name) throws Exception {
    ObjectNode object = (ObjectNode) Json.mapper().readTree("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
        + "\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\"},\"data\":{\"k\":\"v\"}}");
    RestoreContext context = new RestoreContext(UUID.randomUUID().toString(), null, null, OUTAGE_TIMEOUT.toMillis());
    return new ItemTask(restore, "nightly", cluster, 2, new ItemKey("v1/ConfigMap", "default", name), "configmaps",
        "default", context, object);
  }

  /**
   * Publishes the tasks and waits until the broker has every one: a send that fails (CI once saw the
   * broker answer NOT_LEADER_OR_FOLLOWER for two minutes, past the producer's delivery timeout) is
   * this test's error, not an item that silently never existed.
   */
  private static void send(List<ItemTask> tasks) throws Exception {
    ItemTaskSerializer serializer = new ItemTaskSerializer(LocalServers.kafka().payloadKey());
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
        LocalServers.kafka().bootstrapServers(), "delivery.timeout.ms", 300_000), new StringSerializer(),
        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
      for (ItemTask task : tasks) {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = serializer.serialize(Topics.RESTORE_ITEMS, headers, task);
        sent.add(producer.send(new ProducerRecord<>(Topics.RESTORE_ITEMS, null, task.recordKey(), value, headers)));
      }
      for (var f : sent) {
        try {
          f.get(310, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          throw new AssertionError("the broker did not take a task: " + e.getCause() + "; what the broker logged: "
              + brokerComplaints(), e);
        }
      }
    }
  }

  /** The broker's warnings, errors and fencing decisions so far, for a send the broker never took. */
  private static List<String> brokerComplaints() throws java.io.IOException {
    try (var lines = Files.lines(LocalServers.kafka().process().log())) {
      List<String> found = lines.filter(l -> l.contains("] WARN ") || l.contains("] ERROR ") || l.contains("enced")
          || l.contains("Fencing")).map(l -> l.length() > 300 ? l.substring(0, 300) : l).toList();
      return found.subList(Math.max(0, found.size() - 40), found.size());
    }
  }

  /** The results of a restore's items on the restore log, once there are {@code count}. */
  private static List<RestoreEvent.ItemRestored> awaitResults(String restore, int count, Duration within) {
    List<RestoreEvent.ItemRestored> found = new ArrayList<>();
    await().atMost(within).pollInterval(Duration.ofSeconds(1)).until(() -> {
      found.clear();
      TopicRecords.read(Topics.RESTORE_EVENTS, r -> restore.equals(r.key()),
          r -> found.add((RestoreEvent.ItemRestored) Json.mapper().readValue(r.value(), RestoreEvent.class)));
      return found.size() >= count;
    });
    assertEquals(count, found.size(), "one result per item");
    return List.copyOf(found);
  }
}
