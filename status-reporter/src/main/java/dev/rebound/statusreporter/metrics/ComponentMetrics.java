package dev.rebound.statusreporter.metrics;

import dev.rebound.model.Component;
import dev.rebound.statusreporter.components.ComponentRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** Registers {@value MetricNames#COMPONENT_INSTANCES} for each service, read from the registry. */
@Startup
@ApplicationScoped
public class ComponentMetrics {

  ComponentMetrics(MeterRegistry meters, ComponentRegistry registry) {
    for (Component c : Component.values()) {
      Gauge.builder(MetricNames.COMPONENT_INSTANCES, registry, r -> r.liveCount(c.id(), Instant.now()))
          .description("Live instances of each Rebound service, from their heartbeats")
          .tag("component", c.id())
          .register(meters);
    }
  }
}
