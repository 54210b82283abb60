package dev.rebound.bench;

import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.model.Topics;
import dev.rebound.servers.KafkaBroker;
import dev.rebound.servers.KubeBinaries;
import dev.rebound.servers.KubeCluster;
import dev.rebound.servers.ReboundServices;
import dev.rebound.servers.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Start-up with a long history (issue 12, acceptance 5): RESTORES restores end (FailedValidation: their
 * backup does not exist, so each costs a few events and a snapshot); once every one has its snapshot
 * on the compacted topic, a new status-reporter and a new coordinator are started with {@code -Xmx256m} (the first ones SIGKILLed). Prints the time until
 * each is ready (readiness 200; the status-reporter's restore list answers; the coordinator logged that
 * it read the history, which its readiness does not wait for), and its used heap
 * ({@code jvm_memory_used_bytes{area="heap"}}) once started. Not part of the test suite.
 */
public final class StartupBenchmark {

  private static final Pattern HEAP = Pattern.compile(
      "(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} ([0-9.eE+-]+)$");

  private StartupBenchmark() {}

  public static void main(String[] args) {
    Exiting.run(StartupBenchmark::run, args);
  }

  private static void run(String[] args) throws Exception {
    int restores = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Path root = Path.of(System.getProperty("rebound.project.root", ".")).toAbsolutePath().normalize();
    Path dir = Exiting.workDirectory("rebound-bench-startup");
    System.out.printf("Start-up benchmark: %,d ended restores in history; %d cores; servers in %s%n", restores,
        Runtime.getRuntime().availableProcessors(), dir);
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
        S3Server s3 = S3Server.start(dir.resolve("s3"));
        KubeCluster cluster = KubeCluster.start(dir.resolve("kube"), KubeBinaries.locate())) {
      s3.createBucket(ReboundServices.BUCKET);
      try (ReboundServices services = ReboundServices.start(root, dir.resolve("services"), kafka, s3, cluster)) {
        RestoreApi api = new RestoreApi(services.get("status-reporter").url(), cluster.adminToken());
        long began = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < restores; i++) {
          String body = "{\"metadata\": {\"name\": \"history-" + i + "\"}, \"spec\": {\"backupName\": \"missing\"}}";
          answers.add(pool.submit(() -> api.submit(body, "application/json").status()));
        }
        for (Future<Integer> answer : answers) {
          if (answer.get() != 201) {
            throw new IllegalStateException("a submission was answered " + answer.get());
          }
        }
        pool.shutdown();
        awaitEnded(api, restores, Duration.ofMinutes(10));
        System.out.printf("  %,d restores submitted and ended in %d s%n", restores,
            Duration.ofNanos(System.nanoTime() - began).toSeconds());
        int snapshots = awaitSnapshots(kafka.bootstrapServers(), restores, Duration.ofMinutes(5));
        System.out.printf("  %,d ended restores have their snapshot on %s%n", snapshots, Topics.RESTORE_SNAPSHOTS);
        Thread.sleep(2_000); // the checkpoints written after the last snapshots
        services.get("status-reporter").process().kill();
        services.get("restore-coordinator").process().kill();
        for (String name : List.of("status-reporter", "restore-coordinator")) {
          long start = System.nanoTime();
          ReboundServices.Running started = services.startAnother(name, "256m");
          RestoreApi restarted = new RestoreApi(started.url(), cluster.adminToken());
          if (name.equals("status-reporter")) {
            int status = restarted.get("/api/v1/restores").status();
            if (status != 200) {
              throw new IllegalStateException("GET /api/v1/restores answered " + status);
            }
          }
          if (name.equals("restore-coordinator")) {
            // Its readiness does not wait for the log: ready means the history has been read too.
            awaitLine(started.process().log(), "restore log read:", Duration.ofMinutes(2));
          }
          long readyMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
          Thread.sleep(2_000);
          double heap = heap(restarted);
          System.out.printf("  %s: ready in %,d ms (JVM start included; the coordinator's history read too), heap used %.0f MB of -Xmx256m%n", name,
              readyMs, heap / 1024 / 1024);
          for (String line : Files.readAllLines(started.process().log())) {
            if (line.contains("ended restores from rebound.restore-snapshots") || line.contains("restore log read:")) {
              System.out.println("    " + line.strip());
            }
          }
        }
      }
    }
  }

  private static void awaitEnded(RestoreApi api, int restores, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String metrics = api.get("/q/metrics").body();
      Matcher m = Pattern.compile("(?m)^velero_restore_validation_failed_total\\{[^}]*\\} ([0-9.eE+-]+)$")
          .matcher(metrics);
      double ended = 0;
      while (m.find()) {
        ended += Double.parseDouble(m.group(1));
      }
      if (ended >= restores) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(ended + " of " + restores + " restores ended within " + timeout);
      }
      Thread.sleep(1_000);
    }
  }

  /**
   * Waits until the owners have written a snapshot of {@code restores} ended restores (distinct keys
   * of the compacted topic other than the checkpoints), so that the history the new instances read
   * is the steady state; returns how many there are.
   */
  private static int awaitSnapshots(String bootstrapServers, int restores, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.RESTORE_SNAPSHOTS).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Set<String> ended = new HashSet<>();
      while (true) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
          for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
            if (!record.key().startsWith("__checkpoint/")) {
              ended.add(record.key());
            }
          }
        }
        if (ended.size() >= restores) {
          return ended.size();
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("only " + ended.size() + " of " + restores + " ended restores have a "
              + "snapshot after " + timeout);
        }
        Thread.sleep(1_000);
      }
    }
  }

  private static void awaitLine(Path log, String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (Files.readAllLines(log).stream().noneMatch(line -> line.contains(text))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(log + " has no line with \"" + text + "\" after " + timeout);
      }
      Thread.sleep(100);
    }
  }

  private static double heap(RestoreApi api) throws Exception {
    Matcher m = HEAP.matcher(api.get("/q/metrics").body());
    double used = 0;
    while (m.find()) {
      used += Double.parseDouble(m.group(1));
    }
    return used;
  }
}
