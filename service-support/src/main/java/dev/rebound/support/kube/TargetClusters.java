package dev.rebound.support.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.fabric8.kubernetes.client.utils.Utils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Kubernetes clusters a service restores into, by configured name (the names a restore's
 * {@code rebound.dev/target-clusters} annotation refers to). One client per cluster, made on first
 * use and closed with this object.
 */
public final class TargetClusters implements AutoCloseable {

  private final Map<String, ? extends TargetClusterConfig> configs;
  private final String defaultCluster;
  private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();

  public TargetClusters(Map<String, ? extends TargetClusterConfig> configs, String defaultCluster) {
    this.configs = Map.copyOf(configs);
    this.defaultCluster = defaultCluster;
  }

  public String defaultCluster() {
    return defaultCluster;
  }

  public Set<String> names() {
    return new TreeSet<>(configs.keySet());
  }

  /** The client for {@code name}; fails with the configured names if there is no such cluster. */
  public KubernetesClient client(String name) {
    TargetClusterConfig config = configs.get(name);
    if (config == null) {
      throw new IllegalArgumentException(
          "unknown target cluster \"" + name + "\"; configured clusters: " + names());
    }
    return clients.computeIfAbsent(name, n -> build(n, config));
  }

  public KubernetesClient defaultClient() {
    return client(defaultCluster);
  }

  @Override
  public void close() {
    clients.values().forEach(KubernetesClient::close);
    clients.clear();
  }

  private static KubernetesClient build(String name, TargetClusterConfig config) {
    Config kube = config.inCluster() ? inClusterConfig() : kubeconfig(name, config.kubeconfig()
        .orElseThrow(() -> new IllegalArgumentException("target cluster " + name + " has no kubeconfig")));
    // Rebound decides what to retry and how long to back off (a transient fault must never lose
    // an item, a permanent one must fail fast); the client's own blind retries would hide both.
    kube.setRequestRetryBackoffLimit(0);
    kube.setConnectionTimeout(5_000);
    return new KubernetesClientBuilder().withConfig(kube).build();
  }

  private static Config kubeconfig(String name, Path file) {
    try {
      return Config.fromKubeconfig(null, Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read kubeconfig " + file + " of target cluster " + name, e);
    }
  }

  /**
   * fabric8's in-cluster configuration: the pod's service-account token (re-read when it is
   * rotated) and CA, and {@code https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT}.
   * fabric8 prefers a kubeconfig when it finds one ({@code KUBECONFIG}, {@code ~/.kube/config});
   * that would silently be another cluster, so it is refused.
   */
  public static Config inClusterConfig() {
    String host = Utils.getSystemPropertyOrEnvVar(Config.KUBERNETES_SERVICE_HOST_PROPERTY);
    String port = Utils.getSystemPropertyOrEnvVar(Config.KUBERNETES_SERVICE_PORT_PROPERTY);
    Config config = Config.autoConfigure(null);
    String master = config.getMasterUrl();
    if (host == null || port == null || master == null || !master.contains(host) || !master.contains(":" + port)) {
      throw new IllegalStateException("fabric8 configured the client for " + master + " instead of the pod's"
          + " service account (KUBERNETES_SERVICE_HOST " + host + ", KUBERNETES_SERVICE_PORT " + port
          + "): a kubeconfig (KUBECONFIG or ~/.kube/config) or kubernetes.master takes precedence;"
          + " set KUBERNETES_AUTH_TRYKUBECONFIG=false");
    }
    return config;
  }
}
