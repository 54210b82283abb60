package dev.rebound.statusreporter.messaging;

import dev.rebound.model.ComponentHeartbeat;
import dev.rebound.statusreporter.components.ComponentRegistry;
import dev.rebound.support.messaging.Channels;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes channel {@value Channels#HEARTBEATS_IN} (topic {@code rebound.heartbeats}) into the registry. */
@ApplicationScoped
public class HeartbeatConsumer {

  private final ComponentRegistry registry;

  HeartbeatConsumer(ComponentRegistry registry) {
    this.registry = registry;
  }

  @Incoming(Channels.HEARTBEATS_IN)
  void consume(ComponentHeartbeat heartbeat) {
    // A record that failed to deserialize arrives as null (logged by the connector): skip it.
    if (heartbeat != null) {
      registry.record(heartbeat);
    }
  }
}
