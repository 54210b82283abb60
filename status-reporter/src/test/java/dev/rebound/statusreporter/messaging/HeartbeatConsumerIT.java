package dev.rebound.statusreporter.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import dev.rebound.model.ComponentHeartbeat;
import dev.rebound.model.Topics;
import dev.rebound.servers.LocalServers;
import dev.rebound.support.messaging.JsonEventSerializer;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.S3ServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Heartbeats travel through the real broker into {@code /api/v1/components} and the metrics. */
@QuarkusTest
@WithTestResource(KafkaServerResource.class)
@WithTestResource(S3ServerResource.class)
class HeartbeatConsumerIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * The status-reporter reads heartbeats from the newest offset on (a restarted reporter needs only
   * the next heartbeats), so a record produced before its partitions are assigned is skipped by
   * design. Its own heartbeat coming back proves the assignment is done.
   */
  private static void awaitOwnHeartbeat() {
    await().atMost(WAIT).untilAsserted(() ->
        given().get("/api/v1/components").then().statusCode(200)
            .body("component", hasItem("status-reporter")));
  }

  @Test
  void ownHeartbeatGoesOutOnItsChannelAndComesBackThroughTheBroker() {
    awaitOwnHeartbeat();
  }

  @Test
  void heartbeatOfAnotherServiceIsListedAndCountedInTheMetrics() {
    awaitOwnHeartbeat();
    String instance = "item-restorer-" + System.nanoTime();
    ComponentHeartbeat beat = new ComponentHeartbeat("item-restorer", instance, Instant.now(), Instant.now(), 60);
    try (var producer = new KafkaProducer<>(producerProps(), new StringSerializer(), new JsonEventSerializer())) {
      producer.send(new ProducerRecord<>(Topics.HEARTBEATS, instance, beat));
    }
    await().atMost(WAIT).untilAsserted(() ->
        given().get("/api/v1/components").then().statusCode(200).body("instance", hasItem(instance)));
    given().get("/q/metrics").then().statusCode(200)
        .body(containsString("rebound_component_instances{component=\"item-restorer\"}"));
  }

  @Test
  void malformedHeartbeatIsSkippedAndTheServiceKeepsConsuming() {
    awaitOwnHeartbeat();
    String instance = "volume-restorer-" + System.nanoTime();
    ComponentHeartbeat beat = new ComponentHeartbeat("volume-restorer", instance, Instant.now(), Instant.now(), 60);
    try (var raw = new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer());
        var json = new KafkaProducer<>(producerProps(), new StringSerializer(), new JsonEventSerializer())) {
      raw.send(new ProducerRecord<>(Topics.HEARTBEATS, "junk", "{not json".getBytes(StandardCharsets.UTF_8)));
      raw.flush();
      json.send(new ProducerRecord<>(Topics.HEARTBEATS, instance, beat));
    }
    await().atMost(WAIT).untilAsserted(() ->
        given().get("/api/v1/components").then().statusCode(200).body("instance", hasItem(instance)));
    given().get("/q/health/ready").then().statusCode(200);
  }

  private static Map<String, Object> producerProps() {
    return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServers.kafka().bootstrapServers());
  }
}
