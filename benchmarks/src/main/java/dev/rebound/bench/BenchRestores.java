package dev.rebound.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.examplerestore.BackupUploader;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.model.Json;
import dev.rebound.servers.KubeCluster;
import dev.rebound.servers.ManagedProcess;
import dev.rebound.servers.ReboundServices;
import dev.rebound.servers.S3Server;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the restore benchmarks share: the generated backup (ConfigMaps and Secrets with the
 * managedFields a live cluster gives them, over {@code bench-<n>} namespaces), its upload, the
 * restores that map every namespace to a fresh one, and the items/s and CPU figures of a run.
 */
final class BenchRestores {

  private BenchRestores() {}

  /** One measured run: its items/s and the CPU seconds each group of processes used meanwhile. */
  record Run(String label, double rate, Map<String, Double> cpu) {}

  /** CPU seconds per 1,000 items of a group; "Rebound" is the sum of its services. */
  static double perThousand(Run run, String group, int items) {
    return cpuSeconds(run, group) * 1000.0 / items;
  }

  /** CPU seconds a group used during the run; "Rebound" is the sum of its services. */
  static double cpuSeconds(Run run, String group) {
    return group.equals("Rebound")
        ? ReboundServices.NAMES.stream().mapToDouble(s -> run.cpu().getOrDefault(s, 0.0)).sum()
        : run.cpu().getOrDefault(group, 0.0);
  }

  /** The cluster's processes of one name (etcd, kube-apiserver, kube-controller-manager). */
  static List<ManagedProcess> named(KubeCluster cluster, String name) {
    return cluster.processes().stream().filter(p -> p.name().equals(name)).toList();
  }

  static String ns(int n) {
    return "bench-" + n;
  }

  /** N items, ConfigMaps and Secrets in turn, spread over the namespaces. */
  static List<ObjectNode> generate(int items, int namespaces) {
    List<ObjectNode> out = new ArrayList<>(items);
    for (int i = 0; i < items; i++) {
      String ns = ns(i % namespaces);
      out.add(i % 2 == 0 ? RealisticItems.configMap(ns, "config-" + i, Map.of("index", Integer.toString(i),
          "settings.yaml", "replicas: 3\nlogLevel: info\nfeature: enabled\n"))
          : RealisticItems.secret(ns, "secret-" + i, Map.of("token", "c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1Njc4OQ==")));
    }
    return out;
  }

  /**
   * Uploads the objects with their namespaces as backup {@code backup}, and the first
   * {@code warmUpItems} of them with the same namespaces as backup {@code warmUp}.
   */
  static void upload(S3Server s3, List<ObjectNode> objects, int namespaces, String backup, String warmUp,
      int warmUpItems) {
    try (BackupUploader uploader = new BackupUploader(s3.endpoint(), S3Server.REGION, s3.accessKey(),
        s3.secretKey(), ReboundServices.BUCKET)) {
      List<ObjectNode> namespaceItems = new ArrayList<>();
      for (int n = 0; n < namespaces; n++) {
        namespaceItems.add(RealisticItems.namespace(ns(n)));
      }
      List<ObjectNode> backedUp = new ArrayList<>(objects);
      backedUp.addAll(namespaceItems);
      uploader.upload(VeleroBackupBuilder.named(backup).items(backedUp).build(), "");
      List<ObjectNode> small = new ArrayList<>(objects.subList(0, Math.min(warmUpItems, objects.size())));
      small.addAll(namespaceItems);
      uploader.upload(VeleroBackupBuilder.named(warmUp).items(small).build(), "");
    }
  }

  /** A client of a cluster from a kubeconfig file. */
  static KubernetesClient client(Path kubeconfig) throws IOException {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
  }

  /**
   * Submits a restore of the backup mapping every namespace {@code bench-<n>} to {@code <name>-<n>},
   * with the given annotations (target clusters, outage timeout).
   */
  static void submit(RestoreApi api, String name, String backup, int namespaces, Map<String, String> annotations)
      throws IOException, InterruptedException {
    ObjectNode restore = Json.mapper().createObjectNode();
    ObjectNode metadata = restore.putObject("metadata").put("name", name);
    if (!annotations.isEmpty()) {
      ObjectNode a = metadata.putObject("annotations");
      annotations.forEach(a::put);
    }
    ObjectNode spec = restore.putObject("spec").put("backupName", backup);
    ObjectNode mapping = spec.putObject("namespaceMapping");
    for (int n = 0; n < namespaces; n++) {
      mapping.put(ns(n), name + "-" + n);
    }
    RestoreApi.Answer submitted = api.submit(restore.toString(), "application/json");
    if (submitted.status() != 201) {
      throw new IllegalStateException("restore " + name + " refused: HTTP " + submitted.status() + " "
          + submitted.body());
    }
  }

  /**
   * Submits a restore into the default cluster, waits for its end, checks that it completed with
   * every item restored, and returns its items/s from its start to its completion.
   */
  static double restore(RestoreApi api, String name, String backup, int namespaces, int items) throws Exception {
    submit(api, name, backup, namespaces, Map.of());
    JsonNode status = api.awaitEnd(name, Duration.ofMinutes(30), r -> {}).path("status");
    if (!status.path("phase").asText().equals("Completed")
        || status.path("progress").path("itemsRestored").asInt() != items + namespaces) {
      throw new IllegalStateException("restore " + name + " did not complete cleanly: " + status);
    }
    return (items + namespaces) / seconds(status);
  }

  /** Seconds from a restore's (or cluster part's) start to its completion. */
  static double seconds(JsonNode status) {
    return seconds(status.path("startTimestamp").asText(), status.path("completionTimestamp").asText());
  }

  static double seconds(String start, String end) {
    return Duration.between(Instant.parse(start), Instant.parse(end)).toMillis() / 1000.0;
  }

  /** The mean round trip of {@code requests} sequential GETs of the namespace {@code default}, in ms. */
  static double roundTripMillis(Path kubeconfig, int requests) throws IOException {
    try (KubernetesClient kube = client(kubeconfig)) {
      kube.namespaces().withName("default").get(); // connection and TLS set up, not measured
      long start = System.nanoTime();
      for (int i = 0; i < requests; i++) {
        kube.namespaces().withName("default").get();
      }
      return (System.nanoTime() - start) / 1e6 / requests;
    }
  }

  /** Resident memory of processes in MiB ({@code VmRSS} of {@code /proc/<pid>/status}); 0 for gone ones. */
  static long rssMiB(List<Long> pids) {
    long kib = 0;
    for (long pid : pids) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
          if (line.startsWith("VmRSS:")) {
            kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (IOException | RuntimeException e) {
        // gone
      }
    }
    return kib / 1024;
  }

  /** {@code MemAvailable} of {@code /proc/meminfo} in MiB. */
  static long availableMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemAvailable:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException e) {
      // unknown
    }
    return -1;
  }

  /**
   * A copy of each service's packaged application ({@code <module>/target/quarkus-app}) under {@code to}, in the
   * same layout: a build in the work tree during the run (it takes minutes) would otherwise replace the jars
   * under the running services, which load classes from them lazily.
   */
  static Path copyApplications(Path root, Path to) throws java.io.IOException {
    for (String name : ReboundServices.NAMES) {
      Path from = ReboundServices.applicationJar(root, name).getParent();
      Path into = ReboundServices.applicationJar(to, name).getParent();
      try (var files = Files.walk(from)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Path copy = into.resolve(from.relativize(f).toString());
          if (Files.isDirectory(f)) {
            Files.createDirectories(copy);
          } else {
            Files.copy(f, copy);
          }
        }
      }
    }
    return to;
  }
}
