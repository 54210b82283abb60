package dev.rebound.coordinator.config;

import dev.rebound.support.config.ServiceConfig;
import dev.rebound.support.payload.PayloadKeySettingsCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Item tasks are sealed with rebound.service.payload-key: no work is taken before it is usable (ServiceSettings). */
@ApplicationScoped
public class PayloadKeyCheckProducer {

  @Produces
  @Singleton
  PayloadKeySettingsCheck payloadKeyCheck(ServiceConfig config) {
    return new PayloadKeySettingsCheck(config.payloadKey());
  }
}
