package dev.rebound.testsupport;

import dev.rebound.servers.LocalServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points the service's Kafka channels at this JVM's real broker ({@link LocalServers#kafka()}). */
public class KafkaServerResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    return Map.of("kafka.bootstrap.servers", LocalServers.kafka().bootstrapServers());
  }

  @Override
  public void stop() {
    // Shared by every test class of this JVM; stopped when the JVM exits.
  }
}
