package dev.rebound.itemrestorer.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import dev.rebound.model.Topics;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.Result;
import dev.rebound.servers.LocalServers;
import dev.rebound.support.payload.ItemTaskSerializer;
import dev.rebound.support.payload.PayloadCipher;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.KubeServerResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Against the real broker and API server: an item task whose value cannot be decoded becomes its
 * item's FAILED result on the restore log (so its wave can complete) and a copy on the dead-letter
 * topic; a record without Rebound's headers becomes only the copy.
 */
@QuarkusTest
@WithTestResource(KafkaServerResource.class)
@WithTestResource(value = KubeServerResource.class,
    initArgs = @ResourceArg(name = "prefix", value = "rebound.item-restorer"))
class PoisonTaskIT {

  private static final String BAD_TAG = "the sealed value does not authenticate with this service's "
      + "rebound.service.payload-key for topic rebound.restore-items (another key, another topic, or altered bytes)";

  @Test
  void aTaskInPlainJsonFailsItsItemNamingWhyAndIsKeptAsADeadLetter() throws Exception {
    String restore = "poison-" + UUID.randomUUID().toString().substring(0, 8);
    ItemTask task = task(restore, new ItemKey("v1/Secret", "shop", "db"), "secrets");
    byte[] value = Json.mapper().writeValueAsBytes(task); // not sealed: what an old or foreign producer writes
    Headers headers = new RecordHeaders();
    dev.rebound.support.payload.ItemTaskHeaders.write(headers, task);
    RecordMetadata sent = send(task.recordKey(), value, headers);

    String reason = "the value is not sealed by Rebound (no \"RBP2\" or \"RBP1\" prefix; " + value.length + " bytes)";
    String message = "error restoring secrets/shop/db: the item task could not be decoded: " + reason;
    RestoreEvent.ItemRestored result = awaitResult(restore);
    assertEquals(ItemAction.FAILED, result.action(), result.toString());
    assertEquals(new ItemKey("v1/Secret", "shop", "db"), result.key());
    assertEquals(2, result.wave());
    assertEquals(Result.empty().add("shop", message), result.errors());
    assertEquals(List.of("error: " + message), result.log());

    ConsumerRecord<String, byte[]> dead = awaitDeadLetter(task.recordKey());
    assertArrayEquals(value, dead.value());
    assertEquals(restore, header(dead, "rebound.restore"));
    assertEquals("db", header(dead, "rebound.item.name"));
    assertEquals(Topics.RESTORE_ITEMS, header(dead, DeadLetters.SOURCE_TOPIC));
    assertEquals(Integer.toString(sent.partition()), header(dead, DeadLetters.SOURCE_PARTITION));
    assertEquals(Long.toString(sent.offset()), header(dead, DeadLetters.SOURCE_OFFSET));
    assertEquals(reason, header(dead, DeadLetters.REASON));
  }

  @Test
  void aClusterScopedTaskSealedWithAnotherKeyFailsAsAVeleroError() throws Exception {
    String restore = "poison-" + UUID.randomUUID().toString().substring(0, 8);
    ItemTask task = task(restore, new ItemKey("rbac.authorization.k8s.io/v1/ClusterRole", "", "reader"),
        "clusterroles.rbac.authorization.k8s.io");
    Headers headers = new RecordHeaders();
    byte[] value = new ItemTaskSerializer(PayloadCipher.randomKey()).serialize(Topics.RESTORE_ITEMS, headers, task);
    send(task.recordKey(), value, headers);

    String message = "error restoring clusterroles.rbac.authorization.k8s.io/reader: the item task could not be "
        + "decoded: " + BAD_TAG;
    RestoreEvent.ItemRestored result = awaitResult(restore);
    assertEquals(ItemAction.FAILED, result.action(), result.toString());
    assertEquals(Result.empty().addVelero(message), result.errors());
    assertEquals(BAD_TAG, header(awaitDeadLetter(task.recordKey()), DeadLetters.REASON));
  }

  @Test
  void aRecordWithoutItemHeadersIsOnlyADeadLetter() throws Exception {
    String key = "stray-" + UUID.randomUUID();
    byte[] value = "not a task".getBytes(StandardCharsets.UTF_8);
    send(key, value, new RecordHeaders());

    ConsumerRecord<String, byte[]> dead = awaitDeadLetter(key);
    assertArrayEquals(value, dead.value());
    assertEquals("the value is not sealed by Rebound (no \"RBP2\" or \"RBP1\" prefix; 10 bytes)",
        header(dead, DeadLetters.REASON));
  }

  /** A correctly sealed task after the poisoned ones is restored: the consumer goes on. */
  @Test
  void aSealedTaskIsStillRestoredNormally() throws Exception {
    String restore = "poison-" + UUID.randomUUID().toString().substring(0, 8);
    ItemTask task = task(restore, new ItemKey("v1/ConfigMap", "default", restore), "configmaps");
    Headers headers = new RecordHeaders();
    byte[] value = new ItemTaskSerializer(LocalServers.kafka().payloadKey())
        .serialize(Topics.RESTORE_ITEMS, headers, task);
    send(task.recordKey(), value, headers);
    RestoreEvent.ItemRestored result = awaitResult(restore);
    assertEquals(ItemAction.CREATED, result.action(), result.toString());
  }

  // ---- helpers

  private static ItemTask task(String restore, ItemKey key, String groupResource) throws Exception {
    String kind = key.resource().substring(key.resource().lastIndexOf('/') + 1);
    String apiVersion = key.resource().substring(0, key.resource().lastIndexOf('/'));
    String namespace = key.namespace().isEmpty() ? "" : ",\"namespace\":\"" + key.namespace() + "\"";
    ObjectNode object = (ObjectNode) Json.mapper().readTree("{\"apiVersion\":\"" + apiVersion + "\",\"kind\":\""
        + kind + "\",\"metadata\":{\"name\":\"" + key.name() + "\"" + namespace + "},\"data\":{\"k\":\"djE=\"}}");
    return new ItemTask(restore, "nightly", "default", 2, key, groupResource,
        key.namespace().isEmpty() ? null : key.namespace(), null, object);
  }

  private static RecordMetadata send(String key, byte[] value, Headers headers) throws Exception {
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
        LocalServers.kafka().bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
      return producer.send(new ProducerRecord<>(Topics.RESTORE_ITEMS, null, key, value, headers))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static RestoreEvent.ItemRestored awaitResult(String restore) {
    List<RestoreEvent> found = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      TopicRecords.read(Topics.RESTORE_EVENTS, r -> restore.equals(r.key()), r -> found.add(
          Json.mapper().readValue(r.value(), RestoreEvent.class)));
      return !found.isEmpty();
    });
    assertEquals(1, found.size(), found.toString());
    return (RestoreEvent.ItemRestored) found.get(0);
  }

  private static ConsumerRecord<String, byte[]> awaitDeadLetter(String key) {
    List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      TopicRecords.read(Topics.RESTORE_ITEMS_DEAD_LETTER, r -> key.equals(r.key()), found::add);
      return !found.isEmpty();
    });
    assertEquals(1, found.size(), "one copy");
    return found.get(0);
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = Optional.ofNullable(record.headers().lastHeader(name))
        .orElseThrow(() -> new AssertionError("no header " + name + " on " + record));
    return new String(header.value(), StandardCharsets.UTF_8);
  }
}
