package dev.rebound.bench;

import dev.rebound.servers.KubeBinaries;
import dev.rebound.servers.KubeCluster;
import dev.rebound.servers.ManagedProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fleet of target clusters, {@code c0} to {@code c<n-1>}, each behind its own {@link LatencyProxy},
 * with a kubeconfig through that proxy. Three rigs: {@link Rig#FULL}, each cluster its own etcd,
 * kube-apiserver and kube-controller-manager (all started in parallel); {@link Rig#LIGHT}, each its
 * own API server, c0's etcd serving every one under a key prefix of its own, and no
 * controller-managers (c0 first, then the others in parallel), so that nine idle clusters cost
 * little beside a busy one; {@link Rig#SHARED}, issue 15's own rig: one API server (on its own etcd,
 * no controller-manager) behind all the proxies, each proxy a cluster of its own name, so a restore
 * into several of them must map each cluster's part to namespaces of its own.
 */
final class Fleet implements AutoCloseable {

  /** The clusters started, each once. */
  private final List<KubeCluster> clusters;
  /** Cluster i's API server: {@code clusters.get(i)}, or the one of the shared rig. */
  private final List<KubeCluster> targets;
  private final List<LatencyProxy> proxies;
  private final List<Path> kubeconfigs;
  private final Duration startUp;

  /** How the clusters are made. */
  enum Rig {
    FULL("each its own etcd, API server and controller-manager"),
    LIGHT("API servers on one etcd, no controller-managers"),
    SHARED("one API server behind all the proxies, each cluster's part in namespaces of its own");

    final String description;

    Rig(String description) {
      this.description = description;
    }

    /** The rig a benchmark's argument names ({@code light} or {@code full}). */
    static Rig named(String argument) {
      for (Rig rig : values()) {
        if (rig.name().equalsIgnoreCase(argument)) {
          return rig;
        }
      }
      throw new IllegalArgumentException("unknown rig \"" + argument + "\": light, full or shared");
    }
  }

  private Fleet(List<KubeCluster> clusters, List<KubeCluster> targets, List<LatencyProxy> proxies,
      List<Path> kubeconfigs, Duration startUp) {
    this.clusters = clusters;
    this.targets = targets;
    this.proxies = proxies;
    this.kubeconfigs = kubeconfigs;
    this.startUp = startUp;
  }

  /** Starts {@code size} clusters under {@code dir/c<i>}, each behind a proxy of {@code delay}. */
  static Fleet start(Path dir, int size, Duration delay, Rig rig) throws Exception {
    KubeBinaries binaries = KubeBinaries.locate();
    long began = System.nanoTime();
    List<KubeCluster> clusters = new ArrayList<>();
    KubeCluster host = rig != Rig.FULL ? KubeCluster.startLight(dir.resolve(name(0)), binaries, null) : null;
    if (host != null) {
      clusters.add(host);
    }
    ExecutorService pool = Executors.newFixedThreadPool(size);
    List<Future<KubeCluster>> starting = new ArrayList<>();
    for (int i = clusters.size(); i < (rig == Rig.SHARED ? 1 : size); i++) {
      Path clusterDir = dir.resolve(name(i));
      starting.add(pool.submit(() -> host == null ? KubeCluster.start(clusterDir, binaries)
          : KubeCluster.startLight(clusterDir, binaries, host)));
    }
    pool.shutdown();
    Exception failed = null;
    for (Future<KubeCluster> f : starting) {
      try {
        clusters.add(f.get()); // every start is waited for, so a failure leaves none running
      } catch (java.util.concurrent.ExecutionException e) {
        failed = failed == null ? new IOException("a cluster did not start", e.getCause()) : failed;
      }
    }
    Duration startUp = Duration.ofNanos(System.nanoTime() - began);
    List<KubeCluster> targets = rig == Rig.SHARED ? java.util.Collections.nCopies(size, host) : clusters;
    List<LatencyProxy> proxies = new ArrayList<>();
    List<Path> kubeconfigs = new ArrayList<>();
    try {
      if (failed != null) {
        throw failed;
      }
      for (int i = 0; i < size; i++) {
        LatencyProxy proxy = LatencyProxy.start(targets.get(i), delay);
        proxies.add(proxy);
        kubeconfigs.add(proxy.kubeconfig(dir.resolve(name(i) + "-delayed.kubeconfig")));
      }
    } catch (Exception | Error e) {
      new Fleet(clusters, targets, proxies, kubeconfigs, startUp).close();
      throw e;
    }
    return new Fleet(clusters, targets, proxies, kubeconfigs, startUp);
  }

  static String name(int i) {
    return "c" + i;
  }

  /** How many clusters the fleet offers (proxies). */
  int size() {
    return targets.size();
  }

  /** Cluster i's API server (the same one for every i in the shared rig). */
  KubeCluster cluster(int i) {
    return targets.get(i);
  }

  /** Whether every cluster is the same API server ({@link Rig#SHARED}). */
  boolean shared() {
    return targets.size() > clusters.size();
  }

  LatencyProxy proxy(int i) {
    return proxies.get(i);
  }

  /** The kubeconfig of cluster i's admin through its proxy. */
  Path kubeconfig(int i) {
    return kubeconfigs.get(i);
  }

  /** How long starting the clusters took (all of them, in parallel). */
  Duration startUp() {
    return startUp;
  }

  /** The processes of one name (etcd, kube-apiserver, kube-controller-manager) of every cluster. */
  List<ManagedProcess> processes(String name) {
    return clusters.stream().flatMap(c -> BenchRestores.named(c, name).stream()).toList();
  }

  List<Long> pids() {
    return clusters.stream().flatMap(c -> c.processes().stream()).flatMap(p -> p.pids().stream()).toList();
  }

  /**
   * Closes the proxies, then stops the clusters at once, c0 last (in the light rig the others' API
   * servers use its etcd).
   */
  @Override
  public void close() {
    proxies.forEach(LatencyProxy::close);
    List<Thread> stopping = new ArrayList<>();
    for (KubeCluster c : clusters.subList(Math.min(1, clusters.size()), clusters.size())) {
      Thread t = new Thread(c::close, "stop-cluster");
      t.start();
      stopping.add(t);
    }
    for (Thread t : stopping) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (!clusters.isEmpty()) {
      clusters.get(0).close();
    }
  }
}
