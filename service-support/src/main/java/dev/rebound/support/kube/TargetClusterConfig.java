package dev.rebound.support.kube;

import java.nio.file.Path;

/** One configured target cluster: how to reach its API server. */
public interface TargetClusterConfig {

  /** A kubeconfig file; its current context is used. */
  Path kubeconfig();
}
