package dev.rebound.statusreporter.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.model.Topics;
import dev.rebound.servers.Ports;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConsumerLagTest {

  /** The group whose lag is reported is the one the item-restorers consume with. */
  @Test
  void theGroupIsTheItemRestorersConsumerGroup() throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(System.getProperty("rebound.project.root"),
        "item-restorer/src/main/resources/application.properties"))) {
      props.load(in);
    }
    assertEquals(ConsumerLagMetrics.ITEM_RESTORER_GROUP, props.getProperty("mp.messaging.incoming.restore-items-in.group.id"));
    assertEquals(Topics.RESTORE_ITEMS, props.getProperty("mp.messaging.incoming.restore-items-in.topic"));
  }

  /** No broker listens: the reading fails within its timeout, is logged, and shows as NaN; nothing is thrown. */
  @Test
  void aLagThatCannotBeReadIsNaNAndNotAnError() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ConsumerLagMetrics metrics = new ConsumerLagMetrics(registry, "127.0.0.1:" + Ports.free(), Duration.ofSeconds(2));
    try {
      long started = System.nanoTime();
      metrics.refresh();
      metrics.refresh();
      assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(15)) < 0);
      assertTrue(Double.isNaN(metrics.lag()));
      assertTrue(Double.isNaN(registry.get(MetricNames.ITEM_RESTORER_CONSUMER_LAG)
          .tags("group", "rebound-item-restorer", "topic", "rebound.restore-items").gauge().value()));
    } finally {
      metrics.close();
    }
  }
}
