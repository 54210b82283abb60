package dev.rebound.servers;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real node for a {@link KubeCluster}: kube-scheduler, a kubelet running pods through Docker
 * (dockershim, kubenet networking on {@value #POD_CIDR}) and kube-proxy in iptables mode, as
 * measured in ENVIRONMENT.md ("Containers and a real node"). Pods really run: init containers,
 * exec, logs, volumes, Services. The pod sandbox is the locally built {@value #PAUSE_IMAGE}.
 *
 * <p>Its footprint outside the run directory is cleaned up when it stops (and before it starts,
 * in case a previous run was killed): the pods' containers, kube-proxy's and the kubelet's iptables
 * rules, the {@code cbr0} bridge, mounts under the kubelet's root directory and the pods' logs
 * under {@code /var/log/pods}. The 1.20 kubelet hard-codes some paths and ports, so there is at
 * most one such node per machine: a second one fails at start, naming the process that runs the first.
 */
public final class KubeNode implements AutoCloseable {

  public static final String NAME = "rebound-node";
  public static final String POD_CIDR = "10.244.0.0/24";
  public static final String PAUSE_IMAGE = "rebound/pause:3.2";

  private final List<ManagedProcess> processes;
  private final Path rootDir;
  private final Path dir;
  private final KubeBinaries binaries;
  private final MachineLock lock;

  private KubeNode(List<ManagedProcess> processes, Path dir, Path rootDir, KubeBinaries binaries, MachineLock lock) {
    this.dir = dir;
    this.lock = lock;
    this.processes = processes;
    this.rootDir = rootDir;
    this.binaries = binaries;
  }

  /** Starts the node's three components and waits until the node is Ready. */
  public static KubeNode start(KubeCluster cluster, Path dir, KubeBinaries binaries) throws IOException {
    String nodeIp = HostBridge.require("pods");
    Files.createDirectories(dir);
    MachineLock lock = MachineLock.acquire();
    // The kubelet's and dockershim's state holds unix sockets, whose paths may not exceed 107
    // bytes: a short directory of its own, removed when the node stops (its logs stay in dir).
    Path rootDir = NodeHost.STATE_DIR;
    NodeHost.cleanUp(binaries, rootDir, dir.resolve("cleanup.log"));
    Files.createDirectories(rootDir);
    NodeHost.ensureImages(dir.resolve("images.log"));
    NodeHost.allowPodTraffic(dir.resolve("iptables.log"));
    KubePki pki = cluster.pki();
    Path admin = cluster.adminKubeconfig();
    Path nodeKubeconfig = cluster.kubeconfig(dir.resolve("node.kubeconfig"), "system:node:" + NAME, pki.nodeToken());
    List<ManagedProcess> started = new ArrayList<>();
    try {
      started.add(ManagedProcess.start("kube-scheduler", List.of(binaries.scheduler().toString(),
          "--kubeconfig=" + admin, "--authentication-kubeconfig=" + admin, "--authorization-kubeconfig=" + admin,
          "--leader-elect=false", "--port=0", "--bind-address=127.0.0.1", "--secure-port=" + Ports.free(), "--v=1"),
          dir, dir.resolve("kube-scheduler.log"), Map.of()));
      Path cniConf = Files.createDirectories(dir.resolve("cni-conf"));
      started.add(ManagedProcess.start("kubelet", List.of(binaries.kubelet().toString(),
          "--kubeconfig=" + nodeKubeconfig,
          "--hostname-override=" + NAME,
          "--node-ip=" + nodeIp,
          "--address=" + nodeIp,
          "--read-only-port=0",
          "--healthz-bind-address=127.0.0.1",
          "--healthz-port=" + Ports.free(),
          "--container-runtime=docker",
          "--pod-infra-container-image=" + PAUSE_IMAGE,
          "--cgroup-driver=cgroupfs",
          "--fail-swap-on=false",
          "--root-dir=" + rootDir.resolve("kubelet"),
          "--experimental-dockershim-root-directory=" + rootDir.resolve("dockershim"),
          "--cert-dir=" + dir.resolve("kubelet-certs"),
          "--tls-cert-file=" + pki.cert("kubelet"),
          "--tls-private-key-file=" + pki.key("kubelet"),
          "--client-ca-file=" + pki.caCert(),
          "--anonymous-auth=false",
          "--authentication-token-webhook=true",
          "--authorization-mode=Webhook",
          // Local images can never be pulled back: never collect them.
          "--image-gc-high-threshold=100",
          "--image-gc-low-threshold=99",
          "--eviction-hard=memory.available<100Mi",
          "--network-plugin=kubenet",
          "--cni-bin-dir=/usr/lib/cni",
          "--cni-conf-dir=" + cniConf,
          "--pod-cidr=" + POD_CIDR,
          "--non-masquerade-cidr=" + POD_CIDR,
          "--network-plugin-mtu=" + uplinkMtu(),
          "--hairpin-mode=hairpin-veth",
          "--v=1"), dir, dir.resolve("kubelet.log"), Map.of()));
      started.add(ManagedProcess.start("kube-proxy", List.of(binaries.proxy().toString(),
          "--kubeconfig=" + admin,
          "--hostname-override=" + NAME,
          "--proxy-mode=iptables",
          "--cluster-cidr=" + POD_CIDR,
          "--conntrack-max-per-core=0",
          "--metrics-bind-address=127.0.0.1:" + Ports.free(),
          "--healthz-bind-address=127.0.0.1:" + Ports.free(),
          "--v=1"), dir, dir.resolve("kube-proxy.log"), Map.of()));
      KubeNode node = new KubeNode(started, dir, rootDir, binaries, lock);
      HttpClient http = HttpClient.newBuilder().sslContext(pki.sslContext())
          .connectTimeout(Duration.ofSeconds(1)).build();
      URI nodeUri = URI.create(cluster.apiServerUrl() + "/api/v1/nodes/" + NAME);
      started.get(1).awaitReady(() -> ready(http, nodeUri, cluster.adminToken()), Duration.ofSeconds(120));
      return node;
    } catch (IOException | RuntimeException e) {
      for (int i = started.size() - 1; i >= 0; i--) {
        started.get(i).close();
      }
      NodeHost.cleanUp(binaries, rootDir, dir.resolve("cleanup.log"));
      lock.close();
      throw e;
    }
  }

  /** The kubelet's pods directory ({@code <root dir>/pods}): where a pod's volumes are on this node. */
  public static Path podsDir() {
    return NodeHost.STATE_DIR.resolve("kubelet").resolve("pods");
  }

  public List<ManagedProcess> processes() {
    return List.copyOf(processes);
  }

  /** Stops kube-proxy, the kubelet and the scheduler, then removes what they left on the host. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
    NodeHost.cleanUp(binaries, rootDir, dir.resolve("cleanup.log"));
    lock.close();
  }

  /**
   * The node reports condition Ready=True and the node lifecycle controller has lifted the
   * not-ready taint the kubelet registered it with (until then nothing is scheduled on it).
   */
  private static boolean ready(HttpClient http, URI node, String token) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(node).header("Authorization", "Bearer " + token)
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      String body = r.body().replaceAll("\\s", "");
      return r.statusCode() == 200 && body.contains("\"type\":\"Ready\",\"status\":\"True\"")
          && !body.contains("node.kubernetes.io/not-ready");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Pods' interfaces must not exceed the MTU of the way out (1400 on our machines). */
  private static int uplinkMtu() throws IOException {
    int mtu = 1500;
    for (NetworkInterface nic : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback() && !nic.isVirtual() && nic.getName().startsWith("eth")) {
        mtu = Math.min(mtu, nic.getMTU());
      }
    }
    return mtu;
  }
}
