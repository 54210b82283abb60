package dev.rebound.support.kube;

import dev.rebound.support.settings.SettingProblem;
import dev.rebound.support.settings.SettingsCheck;
import io.fabric8.kubernetes.client.utils.Utils;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The target clusters of a worker ({@code <prefix>.clusters.*}, {@code <prefix>.default-cluster}):
 * each file, path and option as {@link TargetClusterSettings} checks it, then, for in-cluster
 * clusters, that fabric8 really configures the pod's service account.
 */
public final class TargetClustersSettingsCheck implements SettingsCheck {

  private final String prefix;
  private final Map<String, ? extends TargetClusterConfig> clusters;
  private final String defaultCluster;

  public TargetClustersSettingsCheck(String prefix, Map<String, ? extends TargetClusterConfig> clusters,
      String defaultCluster) {
    this.prefix = prefix;
    this.clusters = Map.copyOf(clusters);
    this.defaultCluster = defaultCluster;
  }

  @Override
  public String name() {
    return "target-clusters";
  }

  @Override
  public List<SettingProblem> check() {
    List<SettingProblem> problems = new ArrayList<>(
        TargetClusterSettings.check(prefix, clusters, defaultCluster, Utils::getSystemPropertyOrEnvVar));
    clusters.forEach((name, config) -> {
      String key = prefix + ".clusters." + name + ".in-cluster";
      if (config.inCluster() && config.kubeconfig().isEmpty()
          && problems.stream().noneMatch(p -> p.property().equals(key))) {
        try {
          TargetClusters.inClusterConfig();
        } catch (RuntimeException e) {
          problems.add(new SettingProblem(key, "is true, but " + e.getMessage()));
        }
      }
    });
    return problems;
  }
}
