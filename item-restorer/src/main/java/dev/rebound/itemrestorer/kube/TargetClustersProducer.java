package dev.rebound.itemrestorer.kube;

import dev.rebound.itemrestorer.config.ItemRestorerConfig;
import dev.rebound.support.kube.TargetClusters;
import dev.rebound.support.kube.TargetClustersSettingsCheck;
import dev.rebound.support.kube.TargetClustersHealthCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.Readiness;

/** The item-restorer's clients to its configured target clusters, and their readiness check. */
@ApplicationScoped
public class TargetClustersProducer {

  @Produces
  @Singleton
  TargetClusters targetClusters(ItemRestorerConfig config) {
    return new TargetClusters(config.clusters(), config.defaultCluster());
  }

  /** Checked at start and until valid; the service takes no work before (ServiceSettings). */
  @Produces
  @Singleton
  TargetClustersSettingsCheck settingsCheck(ItemRestorerConfig config) {
    return new TargetClustersSettingsCheck("rebound.item-restorer", config.clusters(), config.defaultCluster());
  }

  void close(@Disposes TargetClusters clusters) {
    clusters.close();
  }

  @Produces
  @Readiness
  @ApplicationScoped
  TargetClustersHealthCheck readiness(TargetClusters clusters) {
    return new TargetClustersHealthCheck(clusters);
  }
}
