package dev.rebound.itemrestorer.config;

import dev.rebound.support.kube.TargetClusterConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;

/** The item-restorer's settings, under {@code rebound.item-restorer}. */
@ConfigMapping(prefix = "rebound.item-restorer")
public interface ItemRestorerConfig {

  /** The cluster a restore targets when it names none ({@code rebound.dev/target-clusters} absent). */
  @WithDefault("default")
  String defaultCluster();

  /** The target clusters by name: {@code rebound.item-restorer.clusters.<name>.kubeconfig}. */
  Map<String, TargetClusterConfig> clusters();
}
