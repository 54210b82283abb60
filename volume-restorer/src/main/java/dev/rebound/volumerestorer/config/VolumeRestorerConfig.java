package dev.rebound.volumerestorer.config;

import dev.rebound.support.kube.TargetClusterConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;

/** The volume-restorer's settings, under {@code rebound.volume-restorer}. */
@ConfigMapping(prefix = "rebound.volume-restorer")
public interface VolumeRestorerConfig {

  /** The cluster a restore targets when it names none ({@code rebound.dev/target-clusters} absent). */
  @WithDefault("default")
  String defaultCluster();

  /** The target clusters by name: {@code rebound.volume-restorer.clusters.<name>.kubeconfig}. */
  Map<String, TargetClusterConfig> clusters();
}
