package dev.rebound.support.kube;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A client of the management cluster, the cluster Rebound runs in ({@code rebound.auth.kubernetes.kubeconfig},
 * else in-cluster): its TokenReviews and SubjectAccessReviews, and Velero's objects in its Velero namespace.
 */
public final class ManagementClient {

  public static final String NAME = "management";

  private ManagementClient() {}

  /** One configured cluster, {@value #NAME}: the given kubeconfig, or the pod's own credentials without one. */
  public static TargetClusters of(Optional<Path> kubeconfig) {
    TargetClusterConfig config = new TargetClusterConfig() {
      @Override
      public Optional<Path> kubeconfig() {
        return kubeconfig;
      }

      @Override
      public boolean inCluster() {
        return kubeconfig.isEmpty();
      }
    };
    return new TargetClusters(java.util.Map.of(NAME, config), NAME);
  }

  /** How messages name the management cluster. */
  public static String where(Optional<Path> kubeconfig) {
    return kubeconfig.map(k -> "the management cluster (" + k + ")").orElse("the management cluster (in-cluster)");
  }
}
