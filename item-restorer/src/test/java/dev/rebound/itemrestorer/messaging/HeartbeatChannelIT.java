package dev.rebound.itemrestorer.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.model.ComponentHeartbeat;
import dev.rebound.model.Topics;
import dev.rebound.servers.LocalServers;
import dev.rebound.support.messaging.ComponentHeartbeatDeserializer;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.KubeServerResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** A heartbeat emitted on the item-restorer's Quarkus channel is consumed from the real broker. */
@QuarkusTest
@WithTestResource(KafkaServerResource.class)
@WithTestResource(value = KubeServerResource.class,
    initArgs = @ResourceArg(name = "prefix", value = "rebound.item-restorer"))
class HeartbeatChannelIT {

  @Test
  void heartbeatEmittedOnTheChannelIsConsumedThroughTheBroker() {
    Map<String, Object> props = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServers.kafka().bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "heartbeat-channel-it",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ComponentHeartbeat> seen = new CopyOnWriteArrayList<>();
    try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ComponentHeartbeatDeserializer())) {
      consumer.subscribe(List.of(Topics.HEARTBEATS));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          assertTrue(r.key().equals(r.value().instance()), "keyed by instance");
          seen.add(r.value());
        });
        assertTrue(seen.stream().anyMatch(h -> h.component().equals("item-restorer")), "seen: " + seen);
      });
    }
  }
}
