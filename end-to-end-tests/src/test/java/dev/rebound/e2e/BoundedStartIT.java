package dev.rebound.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.servers.LocalServers;
import dev.rebound.servers.ReboundServices;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bounded state (issue 12 scope 3; DESIGN.md, "Bounded state"): restores end, their snapshots and
 * the checkpoints are written; a status-reporter and a coordinator started afterwards (the first
 * ones SIGKILLed) read the restore log only from the checkpoints, past every ended restore's
 * events, and still report the same restores, files and counters, refuse an ended name with 409,
 * and run a new restore.
 */
class BoundedStartIT {

  private static final String TINY = "bounded-tiny";
  private static final List<String> COMPLETED = List.of("bounded-1", "bounded-2");
  private static final List<String> FAILED_VALIDATION = List.of("bounded-3", "bounded-4", "bounded-5");
  private static final Pattern STARTED_AT = Pattern.compile(
      "reading rebound\\.restore-events from offsets \\{([^}]*)\\}");

  private static Pipeline pipeline;

  @BeforeAll
  static void start() throws Exception {
    pipeline = Pipeline.start("bounded-start");
    pipeline.uploader.upload(VeleroBackupBuilder.named(TINY).items(List.of(RealisticItems.namespace(TINY),
        RealisticItems.configMap(TINY, "settings", Map.of("a", "1")))).build(), "");
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void aRestartReadsFromTheCheckpointsAndReportsTheSame() throws Exception {
    RestoreApi api = new RestoreApi(pipeline.services.get("status-reporter").url(), LocalServers.kube().adminToken());
    List<String> names = new ArrayList<>(COMPLETED);
    names.addAll(FAILED_VALIDATION);
    for (String name : names) {
      String spec = COMPLETED.contains(name) ? "{\"backupName\": \"" + TINY + "\"}" : "{\"backupName\": \"bounded-none\"}";
      RestoreApi.Answer answer = api.submit("{\"metadata\": {\"name\": \"" + name + "\"}, \"spec\": " + spec + "}",
          "application/json");
      assertEquals(201, answer.status(), answer.body());
    }
    for (String name : names) {
      String phase = api.awaitEnd(name, Duration.ofMinutes(2), r -> {}).path("status").path("phase").asText();
      assertEquals(COMPLETED.contains(name) ? "Completed" : "FailedValidation", phase, name);
    }
    Map<String, Object> before = reported(api, names);
    Map<String, Double> countersBefore = counters(pipeline.services.get("status-reporter").url());

    // Every restore has its snapshot, and each partition's checkpoint is past its Submitted.
    KafkaTopics kafka = new KafkaTopics(LocalServers.kafka().bootstrapServers());
    Map<String, long[]> submitted = kafka.submitted(names);
    assertEquals(names.size(), submitted.size(), "Submitted of each restore in the log: " + submitted.keySet());
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      Map<String, String> snapshots = kafka.snapshots();
      for (String name : names) {
        assertTrue(snapshots.containsKey(name), "no snapshot of " + name + " in rebound.restore-snapshots");
        String checkpoint = snapshots.get("__checkpoint/" + submitted.get(name)[0]);
        assertTrue(checkpoint != null && Long.parseLong(checkpoint) > submitted.get(name)[1], "checkpoint of "
            + "partition " + submitted.get(name)[0] + " is " + checkpoint + ", not past the Submitted of " + name
            + " at offset " + submitted.get(name)[1]);
      }
    });

    // New instances, the old ones gone.
    pipeline.services.get("status-reporter").process().kill();
    pipeline.services.get("restore-coordinator").process().kill();
    // Both at once: their start-ups overlap (each waits until it is ready).
    var newReporter = startAnother("status-reporter");
    var newCoordinator = startAnother("restore-coordinator");
    java.util.concurrent.CompletableFuture.allOf(newReporter, newCoordinator).exceptionally(e -> null).join();
    ReboundServices.Running reporter = newReporter.join();
    ReboundServices.Running coordinator = newCoordinator.join();
    RestoreApi restarted = new RestoreApi(reporter.url(), LocalServers.kube().adminToken());

    for (ReboundServices.Running started : List.of(reporter, coordinator)) {
      Map<Integer, Long> offsets = startOffsets(started);
      for (String name : names) {
        long[] at = submitted.get(name);
        assertTrue(offsets.get((int) at[0]) > at[1], started.name() + " read partition " + at[0] + " from offset "
            + offsets.get((int) at[0]) + ", not past the Submitted of ended restore " + name + " at " + at[1]);
      }
      System.out.printf("%s started reading rebound.restore-events at %s%n", started.name(), offsets);
    }
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertEquals(before, reported(restarted, names)));
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertEquals(countersBefore, counters(reporter.url())));
    System.out.println("velero_restore_* after the restart: " + countersBefore);

    // Names stay taken; a new restore runs through the new coordinator.
    for (String name : names) {
      RestoreApi.Answer again = restarted.submit("{\"metadata\": {\"name\": \"" + name + "\"}, \"spec\": "
          + "{\"backupName\": \"" + TINY + "\"}}", "application/json");
      assertEquals(409, again.status(), again.body());
      assertEquals("restores.velero.io \"" + name + "\" already exists", again.json().path("message").asText());
    }
    assertEquals(201, restarted.submit("{\"metadata\": {\"name\": \"bounded-after\"}, \"spec\": {\"backupName\": \""
        + TINY + "\"}}", "application/json").status());
    assertEquals("Completed", restarted.awaitEnd("bounded-after", Duration.ofMinutes(2), r -> {})
        .path("status").path("phase").asText());
  }

  private static java.util.concurrent.CompletableFuture<ReboundServices.Running> startAnother(String name) {
    return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return pipeline.services.startAnother(name);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /**
   * Every answer of the API about the restores: the list's entries, each GET, results, resources and
   * logs (JSON compared as JSON: the order of an object's fields may differ).
   */
  private static Map<String, Object> reported(RestoreApi api, List<String> names) throws Exception {
    Map<String, Object> answers = new TreeMap<>();
    for (JsonNode r : api.get("/api/v1/restores").json().path("items")) {
      String name = r.path("metadata").path("name").asText();
      if (names.contains(name)) {
        answers.put(name + " listed", r);
      }
    }
    for (String name : names) {
      for (String part : List.of("", "results", "resources")) {
        RestoreApi.Answer answer = api.get(name, part);
        answers.put(name + " /" + part, List.of(answer.status(), answer.status() == 200 ? answer.json() : answer.body()));
      }
      RestoreApi.Answer log = api.get(name, "logs");
      answers.put(name + " /logs", List.of(log.status(), log.body()));
    }
    return answers;
  }

  /** Velero's restore counters as one instance exports them, summed over schedules. */
  private static Map<String, Double> counters(String url) throws Exception {
    Map<String, Double> sums = new TreeMap<>();
    String metrics = new RestoreApi(url, LocalServers.kube().adminToken()).get("/q/metrics").body();
    Matcher m = Pattern.compile("(?m)^(velero_restore_[a-z_]+)(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(metrics);
    while (m.find()) {
      sums.merge(m.group(1), Double.parseDouble(m.group(3)), Double::sum);
    }
    assertTrue(sums.containsKey("velero_restore_success_total"), "no velero_restore_* exported:\n" + metrics);
    return sums;
  }

  /** The offsets the instance's restore log reader started at, from its log line. */
  private static Map<Integer, Long> startOffsets(ReboundServices.Running started) throws Exception {
    Map<Integer, Long> offsets = new TreeMap<>();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> STARTED_AT.matcher(
        Files.readString(started.process().log())).find());
    Matcher m = STARTED_AT.matcher(Files.readString(started.process().log()));
    assertTrue(m.find());
    for (String entry : m.group(1).split(",\\s*")) {
      String[] kv = entry.split("=");
      offsets.put(Integer.parseInt(kv[0].strip()), Long.parseLong(kv[1].strip()));
    }
    return offsets;
  }
}
