package dev.rebound.bench;

import static dev.rebound.bench.BenchRestores.ns;
import static dev.rebound.bench.BenchRestores.perThousand;
import static dev.rebound.bench.BenchRestores.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.bench.BenchRestores.Run;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.model.Json;
import dev.rebound.servers.KafkaBroker;
import dev.rebound.servers.KubeBinaries;
import dev.rebound.servers.KubeCluster;
import dev.rebound.servers.ReboundServices;
import dev.rebound.servers.S3Server;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Restore throughput (issues 4 and 15): N small items (ConfigMaps and Secrets, with the
 * managedFields a live cluster gives them) over M namespaces restored through the whole pipeline
 * (S3, coordinator, Kafka, item-restorers, status-reporter) into a real kube-apiserver with 1, 2
 * and 4 item-restorer processes; and, in the same run and against the same API server, two
 * ceilings, each measured before and after the pipeline runs and averaged: (a) a tight parallel
 * client sending one create per object, and (b) one sending the requests Rebound sends per object
 * (the create with the backup's managedFields and the restore's labels, then the merge patch that
 * gives the managedFields back, reference 3.6 step 18). (b) also runs right before each pipeline run
 * (the services idle beside it), since the API server's rate drifts during a run. Prints items/s, the
 * ratios to both and to the (b) just before, and the CPU seconds per 1,000 items of Rebound's
 * processes, the API server, etcd and the direct client.
 * Not part of the test suite.
 *
 * <p>Usage: {@code RestoreBenchmark [items] [namespaces]} (default 20000 over 20).
 */
public final class RestoreBenchmark {

  private static final int CEILING_THREADS = 64;
  private static final String WARM_UP = "bench-warm-up";

  /** Prints one row of the table: a run and its ratio to the (b) just before it ("" for the ceilings). */
  private interface Row {
    void print(Run run, String toAdjacent);
  }

  /** Items of the warm-up runs, which are not measured. */
  private static int warmUpItems(int items) {
    return Math.min(items, 2_000);
  }

  public static void main(String[] args) {
    Exiting.run(RestoreBenchmark::run, args);
  }

  private static void run(String[] args) throws Exception {
    int items = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int namespaces = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path root = Path.of(System.getProperty("rebound.project.root", ".")).toAbsolutePath().normalize();
    Path dir = Exiting.workDirectory("rebound-bench-restore");
    System.out.printf("Restore benchmark: %,d items (ConfigMaps and Secrets) over %d namespaces; %d cores; servers in %s%n",
        items, namespaces, Runtime.getRuntime().availableProcessors(), dir);
    List<ObjectNode> objects = BenchRestores.generate(items, namespaces);
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
        S3Server s3 = S3Server.start(dir.resolve("s3"));
        KubeCluster cluster = KubeCluster.start(dir.resolve("kube"), KubeBinaries.locate())) {
      s3.createBucket(ReboundServices.BUCKET);
      BenchRestores.upload(s3, objects, namespaces, "bench", WARM_UP, warmUpItems(items));
      KubernetesClient kube = BenchRestores.client(cluster.adminKubeconfig());
      java.util.concurrent.atomic.AtomicReference<ReboundServices> rebound = new java.util.concurrent.atomic.AtomicReference<>();
      CpuTime cpu = CpuTime.pipeline(rebound, kafka, cluster, "direct client");
      List<String> columns = List.of("Rebound", "restore-coordinator", "item-restorer", "item-restorer JIT",
          "item-restorer GC", "status-reporter", "Kafka",
          "kube-apiserver", "etcd", "direct client");
      int total = items + namespaces;
      List<Run> runs = new ArrayList<>();
      List<Run> adjacentB = new ArrayList<>();
      // Warm-up, not measured: the JIT of this client (and of each service below) compiles the paths first.
      ceiling(kube, objects.subList(0, warmUpItems(items)), namespaces, "warm-a", false, cpu);
      ceiling(kube, objects.subList(0, warmUpItems(items)), namespaces, "warm-b", true, cpu);
      Run[] a = {ceiling(kube, objects, namespaces, "direct-a1", false, cpu), null};
      Run[] b = {ceiling(kube, objects, namespaces, "direct-b1", true, cpu), null};
      try (ReboundServices services = ReboundServices.start(
          BenchRestores.copyApplications(root, dir.resolve("apps")), dir.resolve("services"), kafka, s3, cluster)) {
        rebound.set(services);
        RestoreApi api = new RestoreApi(services.get("status-reporter").url(), cluster.adminToken());
        restore(api, "bench-warm-up", WARM_UP, namespaces, warmUpItems(items));
        int running = 1;
        for (int workers : new int[] {1, 2, 4}) {
          while (running < workers) {
            services.startAnother("item-restorer");
            running++;
          }
          if (workers > 1) {
            restore(api, "bench-warm-up-" + workers, WARM_UP, namespaces, warmUpItems(items)); // the new JVMs
          }
          // (b) again right before the run, with the services idle beside it: the API server's rate
          // drifts during a run by up to a third, so each run is also compared with its neighbour.
          Run before = ceiling(kube, objects, namespaces, "direct-b-w" + workers, true, cpu);
          adjacentB.add(new Run("(b) just before, services idle", before.rate(), before.cpu()));
          cpu.start();
          double rate = restore(api, "bench-w" + workers, "bench", namespaces, items);
          runs.add(new Run("pipeline, " + workers + " item-restorer" + (workers == 1 ? "" : "s"), rate, cpu.since()));
          System.out.printf("  %s: %,.0f items/s, %.2f of the (b) just before%n", runs.get(runs.size() - 1).label(),
              rate, rate / adjacentB.get(adjacentB.size() - 1).rate());
        }
        a[1] = ceiling(kube, objects, namespaces, "direct-a2", false, cpu);
        b[1] = ceiling(kube, objects, namespaces, "direct-b2", true, cpu);
      } finally {
        rebound.set(null);
      }
      double ceilingA = (a[0].rate() + a[1].rate()) / 2;
      double ceilingB = (b[0].rate() + b[1].rate()) / 2;
      System.out.printf("%n%d cores. (a) one create per object: %,.0f items/s; (b) Rebound's requests (create and "
          + "managedFields patch): %,.0f items/s (each the mean of a run before and one after the pipeline's)%n%n",
          Runtime.getRuntime().availableProcessors(), ceilingA, ceilingB);
      System.out.println("| run | items/s | ratio to (a) | ratio to (b) | to the (b) just before | CPU-s per 1,000 items: "
          + String.join(" | ", columns) + " |");
      System.out.println("| --- | --- | --- | --- | --- |" + " --- |".repeat(columns.size()));
      Row row = (r, toAdjacent) -> {
        StringBuilder line = new StringBuilder(String.format("| %s | %,.0f | %.2f | %.2f | %s |", r.label(), r.rate(),
            r.rate() / ceilingA, r.rate() / ceilingB, toAdjacent));
        for (String column : columns) {
          line.append(String.format(" %.2f |", perThousand(r, column, total)));
        }
        System.out.println(line);
      };
      row.print(a[0], "");
      row.print(b[0], "");
      for (int i = 0; i < runs.size(); i++) {
        row.print(adjacentB.get(i), "");
        row.print(runs.get(i), String.format("%.2f", runs.get(i).rate() / adjacentB.get(i).rate()));
      }
      row.print(a[1], "");
      row.print(b[1], "");
      kube.close();
    }
  }

  /**
   * The same objects created by a tight parallel client into fresh namespaces: (a) prepared as a
   * plain create (no managedFields), or (b, {@code asRebound}) with the requests Rebound sends: the
   * create carrying the backup's managedFields and the restore's labels, then the merge patch of
   * {@code metadata.managedFields} that gives them back.
   */
  private static Run ceiling(KubernetesClient kube, List<ObjectNode> objects, int namespaces, String prefix,
      boolean asRebound, CpuTime cpu) throws Exception {
    List<GenericKubernetesResource> prepared = new ArrayList<>(objects.size());
    List<String> managedFields = new ArrayList<>(objects.size());
    for (ObjectNode o : objects) {
      ObjectNode copy = o.deepCopy();
      ObjectNode metadata = copy.with("metadata");
      managedFields.add("{\"metadata\": {\"managedFields\": " + metadata.path("managedFields") + "}}");
      metadata.remove(List.of("uid", "resourceVersion", "creationTimestamp", "generation"));
      if (asRebound) {
        metadata.with("labels").put("velero.io/backup-name", "bench").put("velero.io/restore-name", prefix);
      } else {
        metadata.remove("managedFields");
      }
      metadata.put("namespace", prefix + "-" + metadata.path("namespace").asText());
      copy.remove("status");
      prepared.add(Json.mapper().treeToValue(copy, GenericKubernetesResource.class));
    }
    cpu.start();
    Instant start = Instant.now();
    for (int n = 0; n < namespaces; n++) {
      kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(prefix + "-" + ns(n)).endMetadata()
          .build()).create();
    }
    ExecutorService pool = Executors.newFixedThreadPool(CEILING_THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < prepared.size(); i++) {
        GenericKubernetesResource r = prepared.get(i);
        String patch = managedFields.get(i);
        done.add(pool.submit(() -> {
          GenericKubernetesResource created = kube.resource(r).create();
          if (asRebound) {
            kube.genericKubernetesResources(r.getApiVersion(), r.getKind()).inNamespace(r.getMetadata().getNamespace())
                .withName(created.getMetadata().getName()).patch(
                    io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), patch);
          }
          return created;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    double rate = (objects.size() + namespaces) / (Duration.between(start, Instant.now()).toMillis() / 1000.0);
    Run run = new Run((asRebound ? "(b) direct, create and patch" : "(a) direct, create") + " (" + CEILING_THREADS
        + " threads)", rate, cpu.since());
    System.out.printf("  %s: %,.0f items/s%n", run.label(), rate);
    return run;
  }
}
