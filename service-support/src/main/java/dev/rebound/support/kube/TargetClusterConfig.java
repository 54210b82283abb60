package dev.rebound.support.kube;

import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One configured target cluster: how to reach its API server, either a kubeconfig file or the
 * service's own pod (exactly one of the two; {@link TargetClusterSettings} reports anything else).
 */
public interface TargetClusterConfig {

  /** A kubeconfig file; its current context is used. */
  Optional<Path> kubeconfig();

  /**
   * The cluster the service runs in, through its pod's service account (fabric8's in-cluster
   * configuration: the token and CA under {@code /var/run/secrets/kubernetes.io/serviceaccount/},
   * {@code KUBERNETES_SERVICE_HOST} and {@code KUBERNETES_SERVICE_PORT}).
   */
  @WithDefault("false")
  boolean inCluster();
}
