package dev.rebound.bench;

import dev.rebound.coordinator.order.RestorePriorities;
import dev.rebound.coordinator.plan.ApiResource;
import dev.rebound.coordinator.plan.RestorePlan;
import dev.rebound.coordinator.plan.RestorePlanner;
import dev.rebound.coordinator.plan.ResourceCatalog;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroTarballWriter;
import dev.rebound.model.Json;
import dev.rebound.model.velero.RestoreSpec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Plans restores of generated backups of 10k, 100k and 250k realistic items (ConfigMaps, Secrets,
 * Pods, Services, Deployments across 100 namespaces, about 1-2 KB each, as a live cluster stores
 * them) and prints items/s and the peak heap. Run with {@code scripts/bench-plan.sh}, which uses
 * {@code -Xmx256m}: the planner must stream, never holding the backup in memory.
 */
public final class PlanBenchmark {

  private static final int NAMESPACES = 100;

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = args.length == 0 ? List.of(10_000, 100_000, 250_000)
        : java.util.Arrays.stream(args).map(Integer::parseInt).toList();
    Path dir = Files.createTempDirectory("rebound-plan-bench");
    System.out.printf("max heap %d MB, %d cores%n", Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors());
    System.out.printf("%10s %12s %10s %12s %14s %14s%n", "items", "tarball MB", "planned", "seconds", "items/s", "peak heap MB");
    try {
      for (int n : sizes) {
        Path tarball = dir.resolve("backup-" + n + ".tar.gz");
        write(tarball, n);
        plan(tarball, n); // warm-up: the JIT, and the same file from the page cache
        Result r = plan(tarball, n);
        System.out.printf("%10d %12.1f %10d %12.2f %14.0f %14d%n", n, Files.size(tarball) / 1e6, r.planned,
            r.seconds, n / r.seconds, r.peakHeap >> 20);
        Files.delete(tarball);
      }
    } finally {
      Files.deleteIfExists(dir);
    }
  }

  private record Result(int planned, double seconds, long peakHeap) {}

  private static Result plan(Path tarball, int n) throws Exception {
    System.gc();
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    RestoreSpec spec = Json.yaml().readValue("backupName: bench\nnamespaceMapping: {ns-7: ns-7-dr}\n"
        + "excludedResources: [events]\n", RestoreSpec.class);
    RestorePlanner planner = new RestorePlanner(CATALOG, RestorePriorities.DEFAULT, 3 << 20);
    long start = System.nanoTime();
    RestorePlan plan;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(tarball), 1 << 16)) {
      plan = planner.plan(spec, in);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    if (plan.totalItems() != n) {
      throw new IllegalStateException("planned " + plan.totalItems() + " of " + n + " items: " + plan.errors());
    }
    return new Result(plan.totalItems(), seconds, peak);
  }

  /** n items over the kinds and namespaces, each a realistic live object with a unique name. */
  private static void write(Path file, int n) throws IOException {
    byte[][] templates = {
        template(RealisticItems.configMap("NS", "NAME", Map.of("application.properties", "server.port=8080\n".repeat(20)))),
        template(RealisticItems.secret("NS", "NAME", Map.of("password", "correct-horse-battery-staple"))),
        template(RealisticItems.deploymentWithReplicaSetAndPods("NS", RealisticItems.fromManifest(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: NAME, labels: {app: web}}\nspec:\n  replicas: 1\n"
                + "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n"
                + "      containers: [{name: web, image: 'nginx:1.25', ports: [{containerPort: 80}]}]\n"), 1).get(2)),
        template(RealisticItems.service("NS", RealisticItems.fromManifest(
            "apiVersion: v1\nkind: Service\nmetadata: {name: NAME}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n")))};
    String[] resources = {"configmaps", "secrets", "pods", "services"};
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        VeleroTarballWriter w = new VeleroTarballWriter(out)) {
      for (int i = 0; i < n; i++) {
        int kind = i % templates.length;
        String ns = "ns-" + (i % NAMESPACES);
        String name = resources[kind] + "-" + i;
        byte[] json = new String(templates[kind], StandardCharsets.UTF_8).replace("\"NS\"", "\"" + ns + "\"")
            .replace("\"NAME\"", "\"" + name + "\"").getBytes(StandardCharsets.UTF_8);
        w.writeItem(resources[kind], "v1", ns, name, json);
      }
    }
  }

  private static byte[] template(com.fasterxml.jackson.databind.node.ObjectNode item) throws IOException {
    item.with("metadata").put("name", "NAME").put("namespace", "NS");
    return Json.mapper().writeValueAsBytes(item);
  }

  private static final ResourceCatalog CATALOG = new ResourceCatalog(List.of(
      new ApiResource("", "v1", "namespaces", "", "Namespace", false, List.of("ns")),
      new ApiResource("", "v1", "pods", "", "Pod", true, List.of("po")),
      new ApiResource("", "v1", "services", "", "Service", true, List.of("svc")),
      new ApiResource("", "v1", "configmaps", "", "ConfigMap", true, List.of("cm")),
      new ApiResource("", "v1", "secrets", "", "Secret", true, List.of()),
      new ApiResource("", "v1", "events", "", "Event", true, List.of("ev"))));

  private PlanBenchmark() {}
}
