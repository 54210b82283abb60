package dev.rebound.statusreporter.metrics;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rebound.model.Topics;
import dev.rebound.servers.LocalServers;
import dev.rebound.testsupport.KafkaServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Against the real broker: items published to {@code rebound.restore-items} and the offsets the
 * item-restorers' consumer group commits move {@code rebound_item_restorer_consumer_lag} by exactly
 * what is left to consume.
 */
@QuarkusTest
@WithTestResource(KafkaServerResource.class)
class ConsumerLagIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern SAMPLE = Pattern.compile("(?m)^rebound_item_restorer_consumer_lag\\{group=\""
      + ConsumerLagMetrics.ITEM_RESTORER_GROUP + "\",topic=\"" + Topics.RESTORE_ITEMS.replace(".", "\\.")
      + "\"} (\\S+)$");

  @Test
  void theLagIsWhatTheItemRestorersHaveNotCommitted() throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        LocalServers.kafka().bootstrapServers()))) {
      // The status-reporter creates the topic once its broker check passes, which may be just after
      // the test starts; the group (no member here) starts with everything published so far committed.
      await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> commitEnds(admin, null));
      awaitLag(0);

      TopicPartition first = new TopicPartition(Topics.RESTORE_ITEMS, 0);
      TopicPartition second = new TopicPartition(Topics.RESTORE_ITEMS, 1);
      publish(first, 7);
      publish(second, 3);
      awaitLag(10);

      commitEnds(admin, first);
      awaitLag(3);
      commitEnds(admin, null);
      awaitLag(0);
    }
  }

  /** Commits, for the item-restorers' group, the log end offset of one partition, or of all. */
  private static void commitEnds(Admin admin, TopicPartition only) throws Exception {
    List<TopicPartition> partitions = only != null ? List.of(only)
        : admin.describeTopics(List.of(Topics.RESTORE_ITEMS)).allTopicNames().get(30, TimeUnit.SECONDS)
            .get(Topics.RESTORE_ITEMS).partitions().stream()
            .map(p -> new TopicPartition(Topics.RESTORE_ITEMS, p.partition())).toList();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS)
        .forEach((p, info) -> offsets.put(p, new OffsetAndMetadata(info.offset())));
    admin.alterConsumerGroupOffsets(ConsumerLagMetrics.ITEM_RESTORER_GROUP, offsets).all().get(30, TimeUnit.SECONDS);
  }

  private static void publish(TopicPartition partition, int records) throws Exception {
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        LocalServers.kafka().bootstrapServers()), new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < records; i++) {
        producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), "lag-test/" + i, "{}")).get();
      }
    }
  }

  private static void awaitLag(double expected) {
    await().atMost(WAIT).untilAsserted(() -> assertEquals(expected, lag()));
  }

  private static double lag() {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher m = SAMPLE.matcher(metrics);
    if (!m.find()) {
      throw new AssertionError("no consumer lag sample in:\n" + metrics.lines()
          .filter(l -> l.contains("consumer_lag")).reduce("", (a, b) -> a + b + "\n"));
    }
    return Double.parseDouble(m.group(1));
  }
}
