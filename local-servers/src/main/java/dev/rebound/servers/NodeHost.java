package dev.rebound.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What a {@link KubeNode} needs from and leaves on the host: its images, and the clean-up. */
final class NodeHost {

  /** The node's kubelet and dockershim state (one node per machine, so one fixed, short path). */
  static final Path STATE_DIR = Path.of(System.getProperty("java.io.tmpdir"), "rebound-node");

  /**
   * Removes the pods' containers (dockershim labels them), kube-proxy's rules ({@code --cleanup}),
   * the kubelet's and kubenet's iptables chains, rules (kubenet's outbound SNAT rule is commented
   * {@code kubenet: SNAT ...}) and bridge, the kubenet address leases, mounts left
   * under the node's state directory and the directory itself, and the pods' logs. Idempotent.
   */
  private static final String CLEAN_UP = """
      root_dir=$1; kube_proxy=$2
      ids=$(/usr/bin/docker ps -aq --filter label=io.kubernetes.docker.type 2>/dev/null || true)
      [ -z "$ids" ] || timeout 60 /usr/bin/docker rm -f $ids >/dev/null || echo "docker rm -f of the pods' containers did not finish"
      "$kube_proxy" --cleanup >/dev/null 2>&1 || true
      for table in filter nat mangle; do
        if iptables-save -t "$table" | grep -q -e KUBE- -e CNI- -e cbr0 -e 'kubenet: '; then
          iptables-save -t "$table" | grep -v -e KUBE- -e CNI- -e cbr0 -e 'kubenet: ' | iptables-restore
        fi
      done
      ip link delete cbr0 2>/dev/null || true
      rm -rf /var/lib/cni/networks/kubenet /var/lib/cni/cache/results/kubenet-* 2>/dev/null || true
      awk -v root="$root_dir/" 'index($2, root) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do
        umount -l "$m" 2>/dev/null || true
      done
      rm -rf "$root_dir"
      rm -rf /var/log/pods/* /var/log/containers/* 2>/dev/null || true
      """;

  /**
   * Lets pods talk to each other across the node's bridge: a connection from a pod to a Service is
   * DNATed to another pod on the same bridge, and since bridged traffic passes iptables
   * ({@code bridge-nf-call-iptables}), it meets the FORWARD chain, whose policy dockerd sets to DROP
   * when it switches IP forwarding on. kube-proxy's KUBE-FORWARD accepts only established
   * connections and masqueraded ones there; a CNI plugin such as flannel adds such a rule too.
   * Removed by {@link #CLEAN_UP} (it names cbr0).
   */
  private static final String ALLOW_POD_TRAFFIC = """
      iptables -C FORWARD -i cbr0 -o cbr0 -j ACCEPT 2>/dev/null || iptables -I FORWARD 1 -i cbr0 -o cbr0 -j ACCEPT
      """;

  private NodeHost() {}

  static void allowPodTraffic(Path log) {
    try {
      ManagedProcess.runToCompletion("pod traffic", List.of("bash", "-c", ALLOW_POD_TRAFFIC), log.getParent(), log,
          Duration.ofSeconds(30));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void cleanUp(KubeBinaries binaries, Path rootDir, Path log) {
    try {
      ManagedProcess.runToCompletion("node clean-up", List.of("bash", "-c", CLEAN_UP, "node-clean-up",
          rootDir.toString(), binaries.proxy().toString()), log.getParent(), log, Duration.ofSeconds(120));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pause and busybox images, built from the kubernetes source and Debian if missing. */
  static void ensureImages(Path log) throws IOException {
    Path root = Path.of(System.getProperty("rebound.project.root", ".")).toAbsolutePath().normalize();
    ManagedProcess.runToCompletion("node images", List.of("bash", root.resolve("scripts/images.sh").toString(),
        "--node"), root, log, Duration.ofMinutes(10));
  }
}
