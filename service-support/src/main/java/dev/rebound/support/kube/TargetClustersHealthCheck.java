package dev.rebound.support.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Readiness of a worker that restores into target clusters: ready when the default cluster's API
 * server answers. Other clusters are reported in the check's data but never make the instance
 * unready, so one unreachable cluster of a fleet does not stop restores into the rest.
 */
public final class TargetClustersHealthCheck implements HealthCheck {

  private final TargetClusters clusters;

  public TargetClustersHealthCheck(TargetClusters clusters) {
    this.clusters = clusters;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("target-clusters").up();
    for (String name : clusters.names()) {
      String state;
      try {
        VersionInfo version = clusters.client(name).getKubernetesVersion();
        state = "reachable, Kubernetes " + version.getGitVersion();
      } catch (KubernetesClientException | IllegalArgumentException | IllegalStateException
          | java.io.UncheckedIOException e) {
        state = "unreachable: " + e.getMessage();
        if (name.equals(clusters.defaultCluster())) {
          response.down();
        }
      }
      response.withData(name, state);
    }
    if (!clusters.names().contains(clusters.defaultCluster())) {
      response.down().withData("error", "default cluster \"" + clusters.defaultCluster() + "\" is not configured");
    }
    return response.build();
  }
}
