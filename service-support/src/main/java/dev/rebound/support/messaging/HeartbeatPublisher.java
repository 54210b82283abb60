package dev.rebound.support.messaging;

import dev.rebound.model.Component;
import dev.rebound.model.ComponentHeartbeat;
import dev.rebound.support.config.ServiceConfig;
import dev.rebound.support.kube.TargetClusters;
import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

/**
 * Publishes this instance's {@link ComponentHeartbeat} on channel {@value Channels#HEARTBEATS_OUT}
 * (topic {@code rebound.heartbeats}), keyed by instance, at the configured interval.
 */
@ApplicationScoped
public class HeartbeatPublisher {

  private final String component;
  private final String instance;
  private final Instant startedAt = Instant.now();
  private final ServiceConfig config;
  private final java.util.List<String> clusters;

  HeartbeatPublisher(ServiceConfig config, jakarta.enterprise.inject.Instance<TargetClusters> targets) {
    this.config = config;
    // The target clusters of a service that has them: the console offers what the coordinators know.
    this.clusters = targets.isResolvable() ? java.util.List.copyOf(targets.get().names()) : java.util.List.of();
    this.component = Component.fromId(config.component()).id();
    this.instance = component + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Outgoing(Channels.HEARTBEATS_OUT)
  Multi<KafkaRecord<String, ComponentHeartbeat>> heartbeats() {
    return Multi.createFrom()
        .ticks()
        .startingAfter(java.time.Duration.ofMillis(100))
        .every(config.heartbeatInterval())
        .onOverflow().drop()
        .map(tick -> KafkaRecord.of(instance, current()));
  }

  /** The heartbeat this instance would send now. */
  public ComponentHeartbeat current() {
    return new ComponentHeartbeat(
        component, instance, startedAt, Instant.now(), config.heartbeatInterval().toSeconds(), clusters);
  }
}
