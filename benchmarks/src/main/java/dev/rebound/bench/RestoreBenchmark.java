package dev.rebound.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.examplerestore.BackupUploader;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.model.Json;
import dev.rebound.servers.KafkaBroker;
import dev.rebound.servers.KubeBinaries;
import dev.rebound.servers.KubeCluster;
import dev.rebound.servers.ReboundServices;
import dev.rebound.servers.S3Server;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Restore throughput (issue 4): N small items (ConfigMaps and Secrets) over M namespaces restored
 * through the whole pipeline (S3, coordinator, Kafka, item-restorers, status-reporter) into a real
 * kube-apiserver with 1, 2 and 4 item-restorer processes; and, in the same run and against the
 * same API server, the direct-create ceiling: a tight parallel client creating the same objects in
 * fresh namespaces. Prints items/s and the ratio to the ceiling. Not part of the test suite.
 *
 * <p>Usage: {@code RestoreBenchmark [items] [namespaces]} (default 20000 over 20).
 */
public final class RestoreBenchmark {

  private static final int CEILING_THREADS = 64;

  public static void main(String[] args) throws Exception {
    int status = 0;
    try {
      run(args);
    } catch (Exception | Error e) {
      e.printStackTrace();
      status = 1;
    }
    // The Kubernetes client's shared Vert.x event loops are not daemon threads and outlive every
    // client: without an explicit exit the benchmark would print its table and never end.
    System.exit(status);
  }

  private static void run(String[] args) throws Exception {
    int items = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int namespaces = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path root = Path.of(System.getProperty("rebound.project.root", ".")).toAbsolutePath().normalize();
    Path dir = Files.createTempDirectory("rebound-bench-restore");
    System.out.printf("Restore benchmark: %,d items (ConfigMaps and Secrets) over %d namespaces; %d cores; servers in %s%n",
        items, namespaces, Runtime.getRuntime().availableProcessors(), dir);
    List<ObjectNode> objects = generate(items, namespaces);
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
        S3Server s3 = S3Server.start(dir.resolve("s3"));
        KubeCluster cluster = KubeCluster.start(dir.resolve("kube"), KubeBinaries.locate())) {
      s3.createBucket(ReboundServices.BUCKET);
      try (BackupUploader uploader = new BackupUploader(s3.endpoint(), S3Server.REGION, s3.accessKey(),
          s3.secretKey(), ReboundServices.BUCKET)) {
        List<ObjectNode> backedUp = new ArrayList<>(objects);
        for (int n = 0; n < namespaces; n++) {
          backedUp.add(RealisticItems.namespace(ns(n)));
        }
        uploader.upload(VeleroBackupBuilder.named("bench").items(backedUp).build(), "");
      }
      KubernetesClient kube = new KubernetesClientBuilder().withConfig(
          Config.fromKubeconfig(Files.readString(cluster.adminKubeconfig()))).build();
      double ceilingBefore = ceiling(kube, objects, namespaces, "ceiling-a");
      System.out.printf("  direct create, %d threads: %,.0f items/s%n", CEILING_THREADS, ceilingBefore);
      List<String> rows = new ArrayList<>();
      try (ReboundServices services = ReboundServices.start(root, dir.resolve("services"), kafka, s3, cluster)) {
        RestoreApi api = new RestoreApi(services.get("status-reporter").url(), cluster.adminToken());
        int running = 1;
        double[] rates = new double[3];
        int[] workers = {1, 2, 4};
        for (int w = 0; w < workers.length; w++) {
          while (running < workers[w]) {
            services.startAnother("item-restorer");
            running++;
          }
          rates[w] = restore(api, "bench-w" + workers[w], namespaces, items);
          System.out.printf("  pipeline, %d item-restorer(s): %,.0f items/s%n", workers[w], rates[w]);
        }
        double ceilingAfter = ceiling(kube, objects, namespaces, "ceiling-b");
        System.out.printf("  direct create, %d threads (again): %,.0f items/s%n", CEILING_THREADS, ceilingAfter);
        double ceiling = (ceilingBefore + ceilingAfter) / 2;
        System.out.printf("%n| item-restorers | items/s | ratio to direct create (%,.0f items/s) |%n| --- | --- | --- |%n",
            ceiling);
        for (int w = 0; w < workers.length; w++) {
          System.out.printf("| %d | %,.0f | %.2f |%n", workers[w], rates[w], rates[w] / ceiling);
        }
      }
      kube.close();
    }
  }

  private static String ns(int n) {
    return "bench-" + n;
  }

  private static List<ObjectNode> generate(int items, int namespaces) {
    List<ObjectNode> out = new ArrayList<>(items);
    for (int i = 0; i < items; i++) {
      String ns = ns(i % namespaces);
      out.add(i % 2 == 0 ? RealisticItems.configMap(ns, "config-" + i, Map.of("index", Integer.toString(i),
          "settings.yaml", "replicas: 3\nlogLevel: info\nfeature: enabled\n"))
          : RealisticItems.secret(ns, "secret-" + i, Map.of("token", "c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1Njc4OQ==")));
    }
    return out;
  }

  /** Submits a restore mapping every namespace to a fresh one; items/s from its start to its completion. */
  private static double restore(RestoreApi api, String name, int namespaces, int items) throws Exception {
    StringBuilder mapping = new StringBuilder();
    for (int n = 0; n < namespaces; n++) {
      mapping.append(n == 0 ? "" : ",").append('"').append(ns(n)).append("\": \"").append(name).append('-').append(n)
          .append('"');
    }
    RestoreApi.Answer submitted = api.submit("{\"metadata\": {\"name\": \"" + name + "\"}, \"spec\": {\"backupName\": "
        + "\"bench\", \"namespaceMapping\": {" + mapping + "}}}", "application/json");
    if (submitted.status() != 201) {
      throw new IllegalStateException(submitted.body());
    }
    JsonNode ended = api.awaitEnd(name, Duration.ofMinutes(30), r -> {});
    JsonNode status = ended.path("status");
    if (!status.path("phase").asText().equals("Completed")
        || status.path("progress").path("itemsRestored").asInt() != items + namespaces) {
      throw new IllegalStateException("restore " + name + " did not complete cleanly: " + status);
    }
    Duration took = Duration.between(Instant.parse(status.path("startTimestamp").asText()),
        Instant.parse(status.path("completionTimestamp").asText()));
    return (items + namespaces) / (took.toMillis() / 1000.0);
  }

  /** The same objects, prepared as a restore would send them, created by a tight parallel client. */
  private static double ceiling(KubernetesClient kube, List<ObjectNode> objects, int namespaces, String prefix)
      throws Exception {
    List<GenericKubernetesResource> prepared = new ArrayList<>(objects.size());
    for (ObjectNode o : objects) {
      ObjectNode copy = o.deepCopy();
      ObjectNode metadata = copy.with("metadata");
      metadata.remove(List.of("uid", "resourceVersion", "creationTimestamp", "managedFields", "generation"));
      metadata.put("namespace", prefix + "-" + metadata.path("namespace").asText());
      copy.remove("status");
      prepared.add(Json.mapper().treeToValue(copy, GenericKubernetesResource.class));
    }
    Instant start = Instant.now();
    for (int n = 0; n < namespaces; n++) {
      kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(prefix + "-" + ns(n)).endMetadata()
          .build()).create();
    }
    ExecutorService pool = Executors.newFixedThreadPool(CEILING_THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (GenericKubernetesResource r : prepared) {
        done.add(pool.submit(() -> kube.resource(r).create()));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return (objects.size() + namespaces) / (Duration.between(start, Instant.now()).toMillis() / 1000.0);
  }
}
