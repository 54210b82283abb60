package dev.rebound.coordinator.kube;

import dev.rebound.coordinator.config.CoordinatorConfig;
import dev.rebound.support.kube.TargetClusters;
import dev.rebound.support.kube.TargetClustersSettingsCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The coordinator's clients to its target clusters, used for discovery. */
@ApplicationScoped
public class TargetClustersProducer {

  @Produces
  @Singleton
  TargetClusters targetClusters(CoordinatorConfig config) {
    return new TargetClusters(config.clusters(), config.defaultCluster());
  }

  /** Checked at start and until valid; the service takes no work before (ServiceSettings). */
  @Produces
  @Singleton
  TargetClustersSettingsCheck settingsCheck(CoordinatorConfig config) {
    return new TargetClustersSettingsCheck("rebound.coordinator", config.clusters(), config.defaultCluster());
  }

  void close(@Disposes TargetClusters clusters) {
    clusters.close();
  }
}
