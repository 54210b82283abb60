package dev.rebound.testsupport;

import dev.rebound.servers.LocalServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points the service's Kafka channels at this JVM's real broker ({@link LocalServers#kafka()}), with
 * that broker's item payload key ({@code rebound.service.payload-key}, made fresh per broker).
 */
public class KafkaServerResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    OneSetPerJvm.check();
    return Map.of("kafka.bootstrap.servers", LocalServers.kafka().bootstrapServers(),
        "rebound.service.payload-key", LocalServers.kafka().payloadKey());
  }

  @Override
  public void stop() {
    // Shared by every test class of this JVM; stopped when the JVM exits.
  }
}
