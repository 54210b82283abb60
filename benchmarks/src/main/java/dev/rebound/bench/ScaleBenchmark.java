package dev.rebound.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.servers.KafkaBroker;
import dev.rebound.servers.KubeBinaries;
import dev.rebound.servers.KubeCluster;
import dev.rebound.servers.ReboundServices;
import dev.rebound.servers.S3Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Scale (issue 15 scope 3): a backup of N small items (ConfigMaps and Secrets with a live cluster's
 * managedFields, over M namespaces, default 1,000,000 over 100) is planned and every item task published,
 * and at least R of them (default 200,000) are restored end to end into the real kube-apiserver; then the
 * restore is canceled and waited for ({@code Canceled}). Every service runs with {@code -Xmx512m}; the
 * heap (from each service's metrics) and the RSS (from /proc) of every service, and the RSS of Kafka,
 * the API server and etcd, are sampled every second throughout. Prints peak heap used, heap max, peak
 * live data after GC, peak RSS and GC pause time per process, the timings and rates, and whether any
 * service logged an {@code OutOfMemoryError}. Not part of the test suite.
 *
 * <p>The backup is written as a stream to a temporary file and uploaded from it (it is never in
 * memory). The coordinator runs with {@code restore-resource-priorities=customresourcedefinitions,namespaces}
 * (Velero's flag): ConfigMaps and Secrets are then unlisted resources and fall into one wave, so all N
 * tasks are published on {@code rebound.restore-items} at once. With Velero's default priorities they
 * would be two waves and the second would not start before the first is restored.
 *
 * <p>Usage: {@code ScaleBenchmark [items] [restore] [namespaces] [item-restorers]} (default 1000000
 * 200000 100 2).
 */
public final class ScaleBenchmark {

  static final String MAX_HEAP = "512m";
  private static final String BACKUP = "scale";
  private static final String RESTORE = "scale-restore";
  private static final String ITEMS_TOPIC = "rebound.restore-items";
  private static final String PLANS_TOPIC = "rebound.restore-plans";
  private static final Duration STALL = Duration.ofMinutes(10);
  private static final Duration CANCEL_PATIENCE = Duration.ofMinutes(30);
  private static final java.util.Set<String> ENDED =
      java.util.Set.of("Completed", "PartiallyFailed", "Failed", "FailedValidation", "Canceled");

  public static void main(String[] args) {
    Exiting.run(ScaleBenchmark::run, args);
  }

  private static int arg(String[] args, int index, int otherwise) {
    return args.length > index ? Integer.parseInt(args[index]) : otherwise;
  }

  private static void run(String[] args) throws Exception {
    int items = arg(args, 0, 1_000_000);
    int target = arg(args, 1, 200_000);
    int namespaces = arg(args, 2, 100);
    int workers = arg(args, 3, 2);
    Path root = Path.of(System.getProperty("rebound.project.root", ".")).toAbsolutePath().normalize();
    Path dir = Exiting.workDirectory("rebound-bench-scale");
    System.out.printf("Scale benchmark: %,d items (ConfigMaps and Secrets) over %d namespaces, %,d to restore, "
        + "%d item-restorer(s), every service -Xmx%s; %d cores; servers in %s%n", items, namespaces, target, workers,
        MAX_HEAP, Runtime.getRuntime().availableProcessors(), dir);
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
        S3Server s3 = S3Server.start(dir.resolve("s3"));
        KubeCluster cluster = KubeCluster.start(dir.resolve("kube"), KubeBinaries.locate())) {
      s3.createBucket(ReboundServices.BUCKET);
      long began = System.nanoTime();
      Path tarball = dir.resolve(BACKUP + ".tar.gz");
      ScaleBackup.upload(s3, BACKUP, tarball, items, namespaces);
      System.out.printf("backup generated and uploaded in %.1f s: tarball %,d MB%n", (System.nanoTime() - began) / 1e9,
          Files.size(tarball) >> 20);
      Files.delete(tarball);
      Map<String, Map<String, String>> overrides = Map.of("restore-coordinator",
          Map.of("rebound.coordinator.restore-resource-priorities", "customresourcedefinitions,namespaces"));
      Path apps = BenchRestores.copyApplications(root, dir.resolve("apps"));
      try (ReboundServices services = ReboundServices.start(apps, dir.resolve("services"), kafka, s3, cluster, overrides,
          Collections.nCopies(workers - 1, "item-restorer"), MAX_HEAP);
          ScaleSampler sampler = sampler(services, kafka, cluster)) {
        sampler.start();
        Thread.sleep(3_000); // a baseline sample of every service before the restore
        Timings t = new Timings();
        // Stopped early (SIGTERM), the run still prints what it measured.
        Thread hook = new Thread(() -> report(items, t, new long[] {-1, -1}, sampler));
        Runtime.getRuntime().addShutdownHook(hook);
        try {
          restore(services, cluster, sampler, items, target, namespaces, t);
          Thread.sleep(15_000); // the status-reporter writes the restore's files after the end
        } catch (Exception e) {
          System.out.printf("%nThe run FAILED: %s%n", e);
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        sampler.sampleOnce();
        report(items, t, endOffsets(kafka, ITEMS_TOPIC, PLANS_TOPIC), sampler);
      }
    }
  }

  private static ScaleSampler sampler(ReboundServices services, KafkaBroker kafka, KubeCluster cluster) {
    ScaleSampler sampler = new ScaleSampler();
    Map<String, Integer> seen = new java.util.HashMap<>();
    for (ReboundServices.Running r : services.running()) {
      int n = seen.merge(r.name(), 1, Integer::sum);
      sampler.service(n == 1 ? r.name() : r.name() + "-" + n, r.process(), r.url());
    }
    sampler.process("Kafka", kafka.process());
    cluster.processes().forEach(p -> sampler.process(p.name(), p));
    return sampler;
  }

  /** What the run measured, in seconds from the submit; -1 for what it did not reach. */
  static final class Timings {
    volatile double planned = -1;
    volatile double published = -1;
    volatile double firstRestored = -1;
    volatile double reached = -1;
    volatile int restoredAtTarget;
    volatile double cancelAsked = -1;
    volatile double ended = -1;
    volatile String endPhase = "not ended";
    volatile int restoredAtEnd;
    volatile int totalItems;
    volatile String planLine;
    volatile String publishLines = "";
    volatile double publishedRestored;
    private boolean reported;
  }

  private static void restore(ReboundServices services, KubeCluster cluster, ScaleSampler sampler, int items,
      int target, int namespaces, Timings t) throws Exception {
    RestoreApi api = new RestoreApi(services.get("status-reporter").url(), cluster.adminToken());
    ScaleSampler.CoordinatorLog log = new ScaleSampler.CoordinatorLog(
        services.get("restore-coordinator").process().log(), RESTORE);
    StringBuilder mapping = new StringBuilder();
    for (int n = 0; n < namespaces; n++) {
      mapping.append(n == 0 ? "" : ",").append("\"bench-").append(n).append("\": \"scale-").append(n).append('"');
    }
    long start = System.nanoTime();
    RestoreApi.Answer submitted = api.submit("{\"metadata\": {\"name\": \"" + RESTORE + "\"}, \"spec\": "
        + "{\"backupName\": \"" + BACKUP + "\", \"namespaceMapping\": {" + mapping + "}}}", "application/json");
    if (submitted.status() != 201) {
      throw new IllegalStateException(submitted.body());
    }
    double lastPrint = 0;
    int lastPrinted = 0;
    double lastMove = 0;
    int restored = 0;
    boolean canceled = false;
    while (true) {
      double now = seconds(start);
      JsonNode status = status(api, start);
      String phase = status.path("phase").asText();
      int r = status.path("progress").path("itemsRestored").asInt();
      t.totalItems = Math.max(t.totalItems, status.path("progress").path("totalItems").asInt());
      if (r != restored) {
        lastMove = now;
      }
      restored = r;
      log.read();
      t.planLine = log.planLine();
      t.publishLines = log.publishLines();
      if (t.planned < 0 && log.planLine() != null) {
        t.planned = now;
        System.out.printf("%7.1f s  plan recorded: %s%n", now, log.planLine());
      }
      if (t.published < 0 && log.publishedItems() >= items) {
        t.published = now;
        t.publishedRestored = restored;
        System.out.printf("%7.1f s  every task published (%,d items restored so far):%n%s", now, restored,
            log.publishLines());
      }
      if (t.firstRestored < 0 && restored > 0) {
        t.firstRestored = now;
      }
      if (now - lastPrint >= 30 || (!canceled && restored >= target)) {
        System.out.printf("%7.1f s  %s, %,d of %,d restored (%,.0f/s over the last %.0f s); %s%n", now, phase,
            restored, t.totalItems, (restored - lastPrinted) / Math.max(0.001, now - lastPrint), now - lastPrint,
            sampler.now());
        lastPrint = now;
        lastPrinted = restored;
        for (ScaleSampler.Peaks p : sampler.peaks()) {
          if (p.isService() && (!p.process.isAlive() || !outOfMemory(p.process.log()).equals("no"))) {
            System.out.printf("%7.1f s  %s: alive %s, OutOfMemoryError %s%n", now, p.label, p.process.isAlive(),
                outOfMemory(p.process.log()));
          }
        }
      }
      if (ENDED.contains(phase)) {
        if (!canceled) {
          throw new IllegalStateException("the restore ended before " + target + " items: " + status);
        }
        t.ended = now;
        t.endPhase = phase;
        t.restoredAtEnd = restored;
        System.out.printf("%7.1f s  ended %s, %,d restored%n", now, phase, restored);
        return;
      }
      if (!canceled && restored >= target) {
        t.reached = now;
        t.restoredAtTarget = restored;
        t.cancelAsked = seconds(start);
        canceled = true;
        RestoreApi.Answer answer = api.cancel(RESTORE);
        System.out.printf("%7.1f s  cancel asked: HTTP %d (answered after %.1f s)%n", t.cancelAsked, answer.status(),
            seconds(start) - t.cancelAsked);
      }
      if (!canceled && now - lastMove > STALL.toSeconds()) {
        throw new IllegalStateException("no item restored for " + STALL + ": " + status + "; " + sampler.now());
      }
      if (canceled && now - t.cancelAsked > CANCEL_PATIENCE.toSeconds()) {
        throw new IllegalStateException("not ended " + CANCEL_PATIENCE + " after the cancel: " + status);
      }
      Thread.sleep(1_000);
    }
  }

  /** The restore's status; an API that fails (a service in trouble) is asked again for up to two minutes. */
  private static JsonNode status(RestoreApi api, long start) throws Exception {
    long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      String failure;
      try {
        RestoreApi.Answer answer = api.get(RESTORE, "");
        if (answer.status() == 200) {
          return answer.json().path("status");
        }
        failure = "HTTP " + answer.status() + " " + answer.body();
      } catch (java.io.IOException e) {
        failure = e.toString();
      }
      System.out.printf("%7.1f s  GET restore failed: %s%n", seconds(start), failure);
      if (System.nanoTime() > giveUp) {
        throw new IllegalStateException("the API has failed for two minutes: " + failure);
      }
      Thread.sleep(5_000);
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String at(double seconds) {
    return seconds < 0 ? "not reached" : String.format("%.1f", seconds);
  }

  private static synchronized void report(int items, Timings t, long[] offsets, ScaleSampler sampler) {
    if (t.reported) {
      return;
    }
    t.reported = true;
    System.out.printf("%nitems in the backup %,d; the restore's totalItems %,d; records on %s %,d, on %s %,d%n", items,
        t.totalItems, ITEMS_TOPIC, offsets[0], PLANS_TOPIC, offsets[1]);
    System.out.println("| step | seconds from submit | rate |");
    System.out.println("| --- | --- | --- |");
    System.out.printf("| plan recorded | %s | %,.0f items/s |%n", at(t.planned), items / t.planned);
    System.out.printf("| every task published | %s | %,.0f items/s after the plan |%n", at(t.published),
        items / (t.published - t.planned));
    System.out.printf("| first item restored | %s | |%n", at(t.firstRestored));
    System.out.printf("| %,d restored | %s | %,.0f items/s from the first restored; %,.0f items/s once all were "
        + "published (%,d restored then) |%n", t.restoredAtTarget, at(t.reached),
        t.restoredAtTarget / (t.reached - t.firstRestored),
        (t.restoredAtTarget - t.publishedRestored) / (t.reached - t.published), (long) t.publishedRestored);
    System.out.printf("| cancel asked | %s | |%n", at(t.cancelAsked));
    System.out.printf("| ended %s (%,d restored) | %s | %,.0f remaining tasks/s skipped |%n", t.endPhase,
        t.restoredAtEnd, at(t.ended), (items - t.restoredAtEnd) / Math.max(0.001, t.ended - t.cancelAsked));
    System.out.println();
    System.out.println("| process | heap max MB | peak heap used MB | peak live data after GC MB | peak RSS MB "
        + "| GC pauses (s, count) | slowest /q/metrics ms | failed scrapes | OutOfMemoryError |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (ScaleSampler.Peaks p : sampler.peaks()) {
      if (p.isService()) {
        System.out.printf("| %s | %s | %s | %s | %s | %.1f, %,d | %,d | %d of %d | %s |%n", p.label,
            ScaleSampler.mb(p.heapMax), ScaleSampler.mb(p.peakHeapUsed), ScaleSampler.mb(p.peakLiveData),
            ScaleSampler.mb(p.peakRss), p.gcSecondsSinceStart(), p.gcCountSinceStart(), p.slowestScrapeMillis,
            p.failedScrapes, p.scrapes + p.failedScrapes, outOfMemory(p.process.log()));
      } else {
        System.out.printf("| %s | | | | %s | | | | |%n", p.label, ScaleSampler.mb(p.peakRss));
      }
    }
    System.out.printf("%nplan: %s%npublished: %s", t.planLine, t.publishLines);
    boolean held = sampler.peaks().stream().filter(ScaleSampler.Peaks::isService)
        .allMatch(p -> p.process.isAlive() && outOfMemory(p.process.log()).equals("no"));
    System.out.printf("%nEvery service %s within -Xmx%s (alive at the end, no OutOfMemoryError in its log).%n",
        held ? "held" : "did NOT hold", MAX_HEAP);
  }

  private static String outOfMemory(Path log) {
    try (var lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
      long n = lines.filter(l -> l.contains("OutOfMemoryError")).count();
      return n == 0 ? "no" : "YES (" + n + " lines)";
    } catch (Exception e) {
      return "log unreadable: " + e.getMessage();
    }
  }

  /** Records on each topic: the sum of its partitions' end offsets. */
  private static long[] endOffsets(KafkaBroker kafka, String... topics) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    long[] out = new long[topics.length];
    try (Admin admin = Admin.create(props)) {
      var described = admin.describeTopics(List.of(topics)).allTopicNames().get();
      for (int i = 0; i < topics.length; i++) {
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        String topic = topics[i];
        described.get(topic).partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
            OffsetSpec.latest()));
        out[i] = admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
      }
    }
    return out;
  }

  private ScaleBenchmark() {}
}
