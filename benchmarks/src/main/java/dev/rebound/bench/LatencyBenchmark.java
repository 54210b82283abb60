package dev.rebound.bench;

import static dev.rebound.bench.BenchRestores.perThousand;
import static dev.rebound.bench.BenchRestores.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.bench.BenchRestores.Run;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.servers.KafkaBroker;
import dev.rebound.servers.KubeBinaries;
import dev.rebound.servers.KubeCluster;
import dev.rebound.servers.ReboundServices;
import dev.rebound.servers.S3Server;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Restore throughput into a target cluster 20 ms away (issue 15): the backup of
 * {@link RestoreBenchmark} (N ConfigMaps and Secrets with managedFields over M namespaces)
 * restored through the whole pipeline into a real kube-apiserver behind a {@link LatencyProxy}
 * that delays every request by 20 ms, with 1, 2 and 4 item-restorers. The coordinator and the
 * item-restorers reach the cluster (as {@code default}) through the proxy; the status-reporter
 * authenticates API callers against it directly (management traffic, not the restore's). Each
 * configuration starts the services afresh (an added instance would not get the proxy's
 * kubeconfig) and runs an unmeasured warm-up restore first. Prints items/s, the ratios of 2 and 4
 * to 1, and the CPU seconds per 1,000 items of each group of processes. Not part of the test suite.
 *
 * <p>Usage: {@code LatencyBenchmark [items] [namespaces] [concurrency] [warm-ups]} (default 5000
 * over 10; concurrency sets {@code rebound.item-restorer.max-concurrency-per-cluster}, else its
 * default; warm-ups is the number of unmeasured restores of up to 2,000 items first, default 1).
 */
public final class LatencyBenchmark {

  static final Duration DELAY = Duration.ofMillis(20);
  static final String CONCURRENCY = "rebound.item-restorer.max-concurrency-per-cluster";
  private static final String BACKUP = "bench";
  private static final String WARM_UP = "bench-warm-up";
  private static final Duration IDLE = Duration.ofSeconds(30);

  public static void main(String[] args) {
    Exiting.run(LatencyBenchmark::run, args);
  }

  private static void run(String[] args) throws Exception {
    int items = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int namespaces = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    String concurrency = args.length > 2 ? Integer.toString(Integer.parseInt(args[2])) : null;
    int warmUps = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    int warmUpItems = Math.min(items, 2_000);
    Path root = Path.of(System.getProperty("rebound.project.root", ".")).toAbsolutePath().normalize();
    Path dir = Exiting.workDirectory("rebound-bench-latency");
    System.out.printf("Latency benchmark: %,d items (ConfigMaps and Secrets) over %d namespaces into a cluster "
        + "%d ms away; %s items in flight per item-restorer; %d cores; servers in %s%n", items, namespaces,
        DELAY.toMillis(), concurrency == null ? "default (32)" : concurrency,
        Runtime.getRuntime().availableProcessors(), dir);
    List<ObjectNode> objects = BenchRestores.generate(items, namespaces);
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
        S3Server s3 = S3Server.start(dir.resolve("s3"));
        KubeCluster cluster = KubeCluster.start(dir.resolve("kube"), KubeBinaries.locate());
        LatencyProxy proxy = LatencyProxy.start(cluster, DELAY)) {
      s3.createBucket(ReboundServices.BUCKET);
      BenchRestores.upload(s3, objects, namespaces, BACKUP, WARM_UP, warmUpItems);
      Path delayed = proxy.kubeconfig(dir.resolve("delayed.kubeconfig"));
      System.out.printf("One GET's round trip: %.1f ms direct, %.1f ms through the proxy%n",
          BenchRestores.roundTripMillis(cluster.adminKubeconfig(), 20), BenchRestores.roundTripMillis(delayed, 20));

      Map<String, Map<String, String>> overrides = new LinkedHashMap<>();
      overrides.put("restore-coordinator", Map.of("rebound.coordinator.clusters.default.kubeconfig", delayed.toString()));
      Map<String, String> itemRestorer = new LinkedHashMap<>();
      itemRestorer.put("rebound.item-restorer.clusters.default.kubeconfig", delayed.toString());
      if (concurrency != null) {
        itemRestorer.put(CONCURRENCY, concurrency);
      }
      overrides.put("item-restorer", itemRestorer);

      AtomicReference<ReboundServices> rebound = new AtomicReference<>();
      CpuTime cpu = CpuTime.pipeline(rebound, kafka, cluster, "proxy (this JVM)");
      List<String> columns = List.of("Rebound", "restore-coordinator", "item-restorer", "item-restorer JIT",
          "item-restorer GC", "status-reporter", "Kafka", "kube-apiserver", "etcd", "proxy (this JVM)");

      List<Run> runs = new ArrayList<>();
      List<Run> idle = new ArrayList<>();
      Path apps = BenchRestores.copyApplications(root, dir.resolve("apps"));
      for (int workers : new int[] {1, 2, 4}) {
        // Started afresh: an instance added later (startAnother) would get the direct kubeconfig.
        try (ReboundServices services = ReboundServices.start(apps, dir.resolve("services-" + workers), kafka, s3,
            cluster, overrides, Collections.nCopies(workers - 1, "item-restorer"))) {
          rebound.set(services);
          RestoreApi api = new RestoreApi(services.get("status-reporter").url(), cluster.adminToken());
          for (int w = 0; w < warmUps; w++) {
            restore(api, "latency-warm-up-" + workers + "-" + w, WARM_UP, namespaces, warmUpItems);
          }
          cpu.start();
          double rate = restore(api, "latency-w" + workers, BACKUP, namespaces, items);
          runs.add(new Run(workers + " item-restorer" + (workers == 1 ? "" : "s"), rate, cpu.since()));
          System.out.printf("  %s: %,.0f items/s%n", runs.get(runs.size() - 1).label(), rate);
          // What the same processes use with nothing to restore: polling, heartbeats, checks, and
          // whatever JIT compilation and collection the run left behind (its own columns).
          cpu.start();
          Thread.sleep(IDLE.toMillis());
          idle.add(new Run("idle", 0, cpu.since()));
        } finally {
          rebound.set(null);
        }
      }

      int total = items + namespaces;
      System.out.printf("%n%d cores; every request %d ms late; %s items in flight per item-restorer%n%n",
          Runtime.getRuntime().availableProcessors(), DELAY.toMillis(),
          concurrency == null ? "32 (default)" : concurrency);
      System.out.println("| run | items/s | ratio to 1 | CPU-s per 1,000 items: " + String.join(" | ", columns) + " |");
      System.out.println("| --- | --- | --- |" + " --- |".repeat(columns.size()));
      for (Run r : runs) {
        StringBuilder row = new StringBuilder(String.format("| %s | %,.0f | %.2f |", r.label(), r.rate(),
            r.rate() / runs.get(0).rate()));
        for (String column : columns) {
          row.append(String.format(" %.2f |", perThousand(r, column, total)));
        }
        System.out.println(row);
      }
      System.out.printf("%nIdle, the %d s after each measured restore (cores):%n%n", IDLE.toSeconds());
      System.out.println("| run | " + String.join(" | ", columns) + " |");
      System.out.println("| --- |" + " --- |".repeat(columns.size()));
      for (int i = 0; i < runs.size(); i++) {
        StringBuilder row = new StringBuilder("| " + runs.get(i).label() + " |");
        for (String column : columns) {
          row.append(String.format(" %.3f |", BenchRestores.cpuSeconds(idle.get(i), column) / IDLE.toSeconds()));
        }
        System.out.println(row);
      }
    }
  }
}
