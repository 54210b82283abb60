package dev.rebound.statusreporter.components;

import dev.rebound.statusreporter.config.StatusReporterConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the one {@link ComponentRegistry} of this instance. */
public class ComponentRegistryProducer {

  @Produces
  @Singleton
  ComponentRegistry registry(StatusReporterConfig config) {
    return new ComponentRegistry(config.heartbeatMisses());
  }
}
