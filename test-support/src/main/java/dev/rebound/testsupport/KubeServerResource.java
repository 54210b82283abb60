package dev.rebound.testsupport;

import dev.rebound.servers.KubeCluster;
import dev.rebound.servers.LocalServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Points a service at this JVM's real kube-apiserver ({@link LocalServers#kube()}): the service's
 * target clusters {@code default} (admin) and {@code restricted} (a user with no RBAC bindings).
 * Rebound's code reaches clusters only through its target-cluster clients, never the injected
 * Quarkus client, whose settings are fixed at build time. The init arg {@code prefix} names the service's
 * configuration prefix, for example {@code rebound.item-restorer}; {@code node=true} gives the cluster
 * a real node ({@link LocalServers#kubeWithNode()}), for tests whose pods must run; {@code locations=true}
 * has the service read Velero's BackupStorageLocations from that cluster ({@code rebound.storage.locations.*}).
 */
public class KubeServerResource implements QuarkusTestResourceLifecycleManager {

  private String prefix;
  private boolean node;
  private boolean locations;

  @Override
  public void init(Map<String, String> initArgs) {
    prefix = initArgs.get("prefix");
    node = Boolean.parseBoolean(initArgs.get("node"));
    locations = Boolean.parseBoolean(initArgs.get("locations"));
  }

  @Override
  public Map<String, String> start() {
    OneSetPerJvm.check();
    KubeCluster kube = node ? LocalServers.kubeWithNode() : LocalServers.kube();
    Map<String, String> config = new HashMap<>();
    if (prefix != null) {
      config.put(prefix + ".clusters.default.kubeconfig", kube.adminKubeconfig().toString());
      config.put(prefix + ".clusters.restricted.kubeconfig", kube.restrictedKubeconfig().toString());
    }
    if (locations) {
      config.put("rebound.storage.locations.enabled", "true");
      config.put("rebound.storage.locations.kubeconfig", kube.adminKubeconfig().toString());
      config.put("rebound.storage.locations.refresh", "1s");
    }
    return config;
  }

  @Override
  public void stop() {
    // The cluster is shared by every test class of this JVM and stopped when the JVM exits; the
    // node is this class's only.
    if (node) {
      LocalServers.releaseNode();
    }
  }
}
