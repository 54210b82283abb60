package dev.rebound.bench;

import static dev.rebound.bench.BenchRestores.perThousand;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.bench.BenchRestores.Run;
import dev.rebound.bench.ClusterParts.Followed;
import dev.rebound.bench.ClusterParts.Part;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.model.validation.ClusterNamespaceMappings;
import dev.rebound.servers.KafkaBroker;
import dev.rebound.servers.ReboundServices;
import dev.rebound.servers.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Restoring into a fleet (issue 15): ten clusters, each behind its own {@link LatencyProxy} (20 ms):
 * by default ({@link Fleet.Rig#SHARED}, the rig) one kube-apiserver behind all ten, each
 * restore mapping each cluster's part to namespaces of its own
 * ({@code rebound.dev/namespace-mappings.<cluster>}); with argument {@code light} each its own API
 * server, on one etcd under a key prefix each and without controller-managers; with {@code full}
 * each also with its own etcd and controller-manager; configured in the
 * coordinator and the item-restorer as {@code c0} to {@code c9} ({@code default} is c0, through its
 * proxy; the status-reporter authenticates callers against c0 directly). The backup of
 * {@link RestoreBenchmark} (N ConfigMaps and Secrets over 10 namespaces) is restored, each time into
 * fresh namespaces: (A) into c0 only; (B) into all ten ({@code rebound.dev/target-clusters}),
 * printing each cluster's part every few seconds; (C) like B with {@code rebound.dev/outage-timeout:
 * 30s}, c9's proxy going down once a third of the items are restored. Prints the start-up time and
 * memory of the clusters and a table: items/s of A, B's aggregate and its ratio to A, the nine
 * reachable clusters' items/s in B and C (until their parts all completed), how C ended, and the CPU
 * seconds per 1,000 items of each group of processes. Not part of the test suite.
 *
 * <p>Usage: {@code FleetBenchmark [itemsPerCluster] [concurrency] [shared|light|full]} (default 1000;
 * concurrency sets {@code rebound.item-restorer.max-concurrency-per-cluster}, else its default).
 */
public final class FleetBenchmark {

  private static final int CLUSTERS = 10;
  private static final int NAMESPACES = 10;
  private static final String OUTAGE_TIMEOUT = "30s";
  private static final String BACKUP = "fleet";
  private static final String WARM_UP = "fleet-warm-up";
  private static final Duration PRINT_EVERY = Duration.ofSeconds(3);
  private static final Duration TIMEOUT = Duration.ofMinutes(30);
  private static final List<String> COLUMNS = List.of("Rebound", "item-restorer", "Kafka", "kube-apiservers", "of it c0's",
      "etcds",
      "controller-managers", "proxies (this JVM)");

  /** Connections the fleet's proxies have accepted so far. */
  private static int connections(Fleet fleet) {
    return IntStream.range(0, fleet.size()).map(i -> fleet.proxy(i).accepted()).sum();
  }

  public static void main(String[] args) {
    Exiting.run(FleetBenchmark::run, args);
  }

  private static void run(String[] args) throws Exception {
    int items = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    String concurrency = args.length > 1 ? Integer.toString(Integer.parseInt(args[1])) : null;
    Fleet.Rig rig = args.length > 2 ? Fleet.Rig.named(args[2]) : Fleet.Rig.SHARED;
    int perCluster = items + NAMESPACES;
    Path root = Path.of(System.getProperty("rebound.project.root", ".")).toAbsolutePath().normalize();
    Path dir = Exiting.workDirectory("rebound-bench-fleet");
    System.out.printf("Fleet benchmark: %,d items (ConfigMaps and Secrets) over %d namespaces per cluster, %d clusters "
        + "(%s) each %d ms away; %s items in flight per cluster; %d cores, %,d MiB available; servers in %s%n", items,
        NAMESPACES, CLUSTERS, rig.description,
        LatencyBenchmark.DELAY.toMillis(), concurrency == null ? "default (32)" : concurrency,
        Runtime.getRuntime().availableProcessors(), BenchRestores.availableMiB(), dir);
    List<ObjectNode> objects = BenchRestores.generate(items, NAMESPACES);
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
        S3Server s3 = S3Server.start(dir.resolve("s3"));
        Fleet fleet = Fleet.start(dir, CLUSTERS, LatencyBenchmark.DELAY, rig)) {
      System.out.printf("%d clusters started in %.1f s; their processes use %,d MiB (RSS); %,d MiB "
          + "available%n", CLUSTERS, fleet.startUp().toMillis() / 1000.0, BenchRestores.rssMiB(fleet.pids()),
          BenchRestores.availableMiB());
      s3.createBucket(ReboundServices.BUCKET);
      BenchRestores.upload(s3, objects, NAMESPACES, BACKUP, WARM_UP, Math.min(items, 500));
      System.out.printf("One GET's round trip to c0: %.1f ms direct, %.1f ms through its proxy%n",
          BenchRestores.roundTripMillis(fleet.cluster(0).adminKubeconfig(), 20),
          BenchRestores.roundTripMillis(fleet.kubeconfig(0), 20));

      AtomicReference<ReboundServices> rebound = new AtomicReference<>();
      CpuTime cpu = cpu(rebound, kafka, fleet);
      List<String> all = IntStream.range(0, CLUSTERS).mapToObj(Fleet::name).toList();
      List<String> nine = all.subList(0, CLUSTERS - 1);
      String lost = all.get(CLUSTERS - 1);
      try (ReboundServices services = ReboundServices.start(BenchRestores.copyApplications(root, dir.resolve("apps")),
          dir.resolve("services"), kafka, s3,
          fleet.cluster(0), overrides(fleet, concurrency))) {
        rebound.set(services);
        RestoreApi api = new RestoreApi(services.get("status-reporter").url(), fleet.cluster(0).adminToken());
        System.out.println("Clusters the API offers: " + api.get("/api/v1/clusters").body());

        System.out.println("Warm-up (not measured): into all ten");
        Followed warm = restore(api, "fleet-warm-up", WARM_UP, all, fleet.shared(), null, null);
        expect(warm, "Completed");

        System.out.println("(A) into c0");
        int connections = connections(fleet);
        Map<String, Double> requests = ApiRequests.count(fleet.cluster(0));
        Map<String, Double> idleRequests = ApiRequests.count(fleet.cluster(1));
        cpu.start();
        Followed a = restore(api, "fleet-a", BACKUP, List.of(all.get(0)), fleet.shared(), null, null);
        Map<String, Double> cpuA = cpu.since();
        System.out.printf("  connections opened through the proxies: %d; c0's API server answered:%n%s%n  and c1's:%n%s%n",
            connections(fleet) - connections, ApiRequests.perItem(requests, ApiRequests.count(fleet.cluster(0)), perCluster),
            fleet.shared() ? "  (the same API server)" : ApiRequests.perItem(idleRequests,
                ApiRequests.count(fleet.cluster(1)), perCluster));
        expect(a, "Completed");
        double rateA = ClusterParts.restored(a.parts()) / BenchRestores.seconds(a.status());

        System.out.println("(B) into c0..c9");
        connections = connections(fleet);
        cpu.start();
        Followed b = restore(api, "fleet-b", BACKUP, all, fleet.shared(), null, null);
        Map<String, Double> cpuB = cpu.since();
        System.out.printf("  connections opened through the proxies: %d%n", connections(fleet) - connections);
        expect(b, "Completed");
        double rateB = ClusterParts.restored(b.parts()) / BenchRestores.seconds(b.status());
        System.out.printf("  memory: %,d MiB available%n", BenchRestores.availableMiB());

        System.out.printf("(C) into c0..c9, outage timeout %s, %s down at a third of the items%n", OUTAGE_TIMEOUT, lost);
        int third = CLUSTERS * perCluster / 3;
        cpu.start();
        Followed c = restore(api, "fleet-c", BACKUP, all, fleet.shared(), p -> ClusterParts.restored(p) >= third,
            () -> fleet.proxy(CLUSTERS - 1).down());
        Map<String, Double> cpuC = cpu.since();

        double nineB = ClusterParts.secondsUntilComplete(b, nine);
        double nineC = ClusterParts.secondsUntilComplete(c, nine);
        double rateNineB = ClusterParts.restored(b, nine) / nineB;
        double rateNineC = ClusterParts.restored(c, nine) / nineC;
        Part down = c.part(lost);
        String lostWhenActed = c.partsWhenActed().stream().filter(p -> p.cluster().equals(lost))
            .map(p -> p.restored() + "/" + p.total()).findFirst().orElse("?");

        System.out.printf("%n%d cores; %d clusters started in %.1f s; every request %d ms late; %s items in flight per "
            + "cluster%n%n", Runtime.getRuntime().availableProcessors(), CLUSTERS, fleet.startUp().toMillis() / 1000.0,
            LatencyBenchmark.DELAY.toMillis(), concurrency == null ? "32 (default)" : concurrency);
        System.out.println("| run | items done | seconds | items/s | ratio | end | CPU-s per 1,000 items: "
            + String.join(" | ", COLUMNS) + " |");
        System.out.println("| --- | --- | --- | --- | --- | --- |" + " --- |".repeat(COLUMNS.size()));
        int restoredA = ClusterParts.restored(a.parts());
        int restoredB = ClusterParts.restored(b.parts());
        int restoredC = ClusterParts.restored(c.parts());
        row("(A) into c0", restoredA, BenchRestores.seconds(a.status()), "1.00 (to A)", phase(a),
            new Run("A", rateA, cpuA));
        row("(B) into c0..c9, aggregate", restoredB, BenchRestores.seconds(b.status()),
            String.format("%.2f (to A)", rateB / rateA), phase(b), new Run("B", rateB, cpuB));
        row("(B) c0..c8 until their parts completed", ClusterParts.restored(b, nine), nineB, "1.00 (to B's c0..c8)",
            "", null);
        row("(C) c0..c8 until their parts completed", ClusterParts.restored(c, nine), nineC,
            String.format("%.2f (to B's c0..c8)", rateNineC / rateNineB), nine.stream().map(n -> c.part(n).phase())
                .distinct().reduce((x, y) -> x + "/" + y).orElse(""), null);
        row("(C) whole restore, " + lost + " down at " + String.format("%.0f s", c.actedAt()) + " (" + lost + " "
            + lostWhenActed + ")", restoredC, BenchRestores.seconds(c.status()), "", phase(c) + "; " + lost + ": "
            + down.phase() + ", " + down.restored() + "/" + down.total() + " done, " + down.errors() + " errors",
            new Run("C", restoredC / BenchRestores.seconds(c.status()), cpuC));
        System.out.printf("%nItems done: a part's itemsRestored, which counts failed items too. %s's part of (C): %s%n",
            lost, down);
        if (!Double.isNaN(rateNineC)) {
          System.out.printf("Nine reachable clusters: %,.0f items/s in (C) against %,.0f in (B)%n", rateNineC, rateNineB);
        }
      } finally {
        rebound.set(null);
      }
    }
  }

  private static Map<String, Map<String, String>> overrides(Fleet fleet, String concurrency) {
    Map<String, String> coordinator = new LinkedHashMap<>();
    Map<String, String> itemRestorer = new LinkedHashMap<>();
    coordinator.put("rebound.coordinator.clusters.default.kubeconfig", fleet.kubeconfig(0).toString());
    itemRestorer.put("rebound.item-restorer.clusters.default.kubeconfig", fleet.kubeconfig(0).toString());
    for (int i = 0; i < fleet.size(); i++) {
      coordinator.put("rebound.coordinator.clusters." + Fleet.name(i) + ".kubeconfig", fleet.kubeconfig(i).toString());
      itemRestorer.put("rebound.item-restorer.clusters." + Fleet.name(i) + ".kubeconfig",
          fleet.kubeconfig(i).toString());
    }
    if (concurrency != null) {
      itemRestorer.put(LatencyBenchmark.CONCURRENCY, concurrency);
    }
    return Map.of("restore-coordinator", coordinator, "item-restorer", itemRestorer);
  }

  private static CpuTime cpu(AtomicReference<ReboundServices> rebound, KafkaBroker kafka, Fleet fleet) {
    CpuTime cpu = new CpuTime();
    for (String service : ReboundServices.NAMES) {
      cpu.group(service, CpuTime.of(() -> rebound.get() == null ? List.of() : rebound.get().alive(service).stream()
          .map(ReboundServices.Running::process).toList()));
    }
    return cpu.group("Kafka", CpuTime.of(() -> List.of(kafka.process())))
        .group("kube-apiservers", CpuTime.of(() -> fleet.processes("kube-apiserver")))
        .group("of it c0's", CpuTime.of(() -> BenchRestores.named(fleet.cluster(0), "kube-apiserver")))
        .group("etcds", CpuTime.of(() -> fleet.processes("etcd")))
        .group("controller-managers", CpuTime.of(() -> fleet.processes("kube-controller-manager")))
        .group("proxies (this JVM)", () -> List.of(CpuTime.stat(ProcessHandle.current().pid())));
  }

  /** Submits a restore into the clusters and follows it to its end (see {@link ClusterParts#follow}). */
  private static Followed restore(RestoreApi api, String name, String backup, List<String> clusters, boolean shared,
      java.util.function.Predicate<List<Part>> when, Runnable action) throws Exception {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("rebound.dev/target-clusters", String.join(",", clusters));
    if (shared) {
      // One API server: each cluster's part in namespaces of its own (rebound.dev/namespace-mappings.<cluster>).
      for (String cluster : clusters) {
        annotations.put(ClusterNamespaceMappings.annotation(cluster), IntStream.range(0, NAMESPACES)
            .mapToObj(n -> BenchRestores.ns(n) + ":" + name + "-" + cluster + "-" + n).collect(Collectors.joining(",")));
      }
    }
    if (action != null) {
      annotations.put("rebound.dev/outage-timeout", OUTAGE_TIMEOUT);
    }
    BenchRestores.submit(api, name, backup, NAMESPACES, annotations);
    return ClusterParts.follow(api, name, TIMEOUT, PRINT_EVERY, when == null ? p -> false : when, action);
  }

  private static void expect(Followed f, String phase) {
    if (!phase(f).equals(phase)) {
      throw new IllegalStateException("restore " + f.restore().path("metadata").path("name").asText() + " ended "
          + phase(f) + ": " + f.status() + "; parts: " + f.parts());
    }
  }

  private static String phase(Followed f) {
    return f.status().path("phase").asText();
  }

  /** One row of the table; {@code run} null leaves the CPU columns empty. */
  private static void row(String label, int restored, double seconds, String ratio, String end, Run run) {
    StringBuilder row = new StringBuilder(String.format("| %s | %,d | %.1f | %,.0f | %s | %s |", label, restored,
        seconds, restored / seconds, ratio, end));
    for (String column : COLUMNS) {
      row.append(run == null ? " |" : String.format(" %.2f |", perThousand(run, column, restored)));
    }
    System.out.println(row);
  }
}
