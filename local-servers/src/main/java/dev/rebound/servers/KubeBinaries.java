package dev.rebound.servers;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the Kubernetes test binaries are: the variables KUBE_APISERVER, KUBE_CONTROLLER_MANAGER,
 * ETCD, and for a node KUBELET, KUBE_SCHEDULER and KUBE_PROXY, when set (bring your own), else the
 * cache that {@code scripts/kube-binaries.sh} fills and Debian's etcd-server.
 */
public record KubeBinaries(Path apiserver, Path controllerManager, Path etcd, Path cache) {

  /** Matches scripts/kube-binaries.sh. */
  static final String CACHE_SUBDIR = "kubernetes-1.20.2/bin";

  public static KubeBinaries locate() {
    // $HOME as the script reads it (user.home is the passwd entry's, which HOME may differ from).
    String home = System.getenv().getOrDefault("HOME", System.getProperty("user.home"));
    String cache = System.getenv().getOrDefault("REBOUND_CACHE", Path.of(home, ".cache", "rebound").toString());
    Path bin = Path.of(cache).resolve(CACHE_SUBDIR);
    return new KubeBinaries(
        find("KUBE_APISERVER", bin.resolve("kube-apiserver")),
        find("KUBE_CONTROLLER_MANAGER", bin.resolve("kube-controller-manager")),
        find("ETCD", Path.of("/usr/bin/etcd")), bin);
  }

  public Path kubelet() {
    return find("KUBELET", cache.resolve("kubelet"));
  }

  public Path scheduler() {
    return find("KUBE_SCHEDULER", cache.resolve("kube-scheduler"));
  }

  public Path proxy() {
    return find("KUBE_PROXY", cache.resolve("kube-proxy"));
  }

  private static Path find(String variable, Path fallback) {
    String given = System.getenv(variable);
    Path path = given == null || given.isBlank() ? fallback : Path.of(given);
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(
          variable + " binary not found at " + path
              + ": run scripts/kube-binaries.sh (builds and caches it) or set " + variable);
    }
    return path;
  }
}
