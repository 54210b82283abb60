package dev.rebound.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackup;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.servers.LocalServers;
import dev.rebound.servers.ReboundServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two status-reporter instances behind one "Service" (issue 12, acceptance 3; DESIGN.md, "Names and
 * counters across API instances"): 200 concurrent submissions of 100 names, each name sent to both
 * instances at once. The log decides: every name is won by exactly one submission (201), the other
 * gets 409; both instances list the same 100 restores; Velero's counters summed over both
 * instances' {@code /q/metrics} equal what the restores did, because only one instance exports
 * them; each restore's files are written by one instance; and when that instance is SIGKILLed the
 * other exports the same totals once the lease's session timeout has passed.
 */
class NamesAcrossInstancesIT {

  private static final int NAMES = 100;
  private static final String PREFIX = "names-";
  /** Restores whose backup is there and tiny (Completed), whose tarball is corrupt (Failed), or with no backup at all (FailedValidation). */
  private static final String TINY = "names-tiny";
  private static final String CORRUPT = "names-corrupt";
  private static final List<String> COUNTERS = List.of("velero_restore_attempt_total",
      "velero_restore_validation_failed_total", "velero_restore_failed_total", "velero_restore_success_total",
      "velero_restore_partial_failure_total");

  private static Pipeline pipeline;
  private static List<ReboundServices.Running> reporters;

  @BeforeAll
  static void start() throws Exception {
    // The second status-reporter starts together with the four services.
    pipeline = Pipeline.start("names-across-instances", Map.of(), List.of("status-reporter"));
    reporters = pipeline.services.running().stream().filter(r -> r.name().equals("status-reporter")).toList();
    assertEquals(2, reporters.size());
    pipeline.uploader.upload(VeleroBackupBuilder.named(TINY).schedule("names-sched").items(List.of(
        RealisticItems.namespace(TINY), RealisticItems.configMap(TINY, "settings", Map.of("a", "1")))).build(), "");
    VeleroBackup good = VeleroBackupBuilder.named(CORRUPT).schedule("names-sched").items(List.of(
        RealisticItems.namespace(CORRUPT))).build();
    pipeline.uploader.upload(new VeleroBackup(good.name(), good.backupJson(),
        "not a gzip tarball".getBytes(StandardCharsets.UTF_8), good.resourceList(), good.volumeSnapshots(),
        good.volumeInfo(), good.podVolumeBackups(), good.items()), "");
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  /** One in ten restores a tiny backup, one in ten a corrupt one, the others name a schedule without backups. */
  private static String spec(int i) {
    return switch (i % 10) {
      case 0 -> "{\"backupName\": \"" + TINY + "\"}";
      case 1 -> "{\"backupName\": \"" + CORRUPT + "\"}";
      default -> "{\"scheduleName\": \"names-none\"}";
    };
  }

  private static String expectedPhase(int i) {
    return switch (i % 10) {
      case 0 -> "Completed";
      case 1 -> "Failed";
      default -> "FailedValidation";
    };
  }

  @Test
  void everyNameIsWonOnceAndTheCountersAreExportedOnce() throws Exception {
    List<RestoreApi> apis = reporters.stream().map(r -> new RestoreApi(r.url(), LocalServers.kube().adminToken())).toList();
    record Submission(int name, int instance, Future<RestoreApi.Answer> answer) {}
    List<Submission> submissions = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(40);
    try {
      for (int i = 0; i < NAMES; i++) {
        String body = "{\"metadata\": {\"name\": \"" + PREFIX + i + "\"}, \"spec\": " + spec(i) + "}";
        for (int copy = 0; copy < 2; copy++) {
          int instance = (i + copy) % 2; // the two submissions of a name race on the two instances
          submissions.add(new Submission(i, instance,
              pool.submit(() -> apis.get(instance).submit(body, "application/json"))));
        }
      }
      Map<Integer, String> winners = new HashMap<>();
      Map<Integer, Integer> losers = new HashMap<>();
      int[] wonPerInstance = new int[2];
      for (Submission s : submissions) {
        RestoreApi.Answer answer = s.answer().get();
        String name = PREFIX + s.name();
        if (answer.status() == 201) {
          String uid = answer.json().path("metadata").path("uid").asText();
          assertFalse(uid.isEmpty(), answer.body());
          assertEquals(null, winners.put(s.name(), uid), name + " was accepted twice");
          wonPerInstance[s.instance()]++;
        } else {
          assertEquals(409, answer.status(), name + ": " + answer.body());
          JsonNode status = answer.json();
          assertEquals("AlreadyExists", status.path("reason").asText(), answer.body());
          assertEquals("restores.velero.io \"" + name + "\" already exists", status.path("message").asText());
          losers.merge(s.name(), 1, Integer::sum);
        }
      }
      assertEquals(NAMES, winners.size(), "every name won once: " + winners.keySet());
      assertEquals(NAMES, losers.size());
      assertTrue(losers.values().stream().allMatch(n -> n == 1), losers.toString());
      System.out.printf("names won on instance 1: %d, on instance 2: %d%n", wonPerInstance[0], wonPerInstance[1]);

      // Both instances list the same 100 restores, each the submission that got its 201, and all end.
      for (RestoreApi api : apis) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          Map<Integer, JsonNode> mine = ours(api);
          assertEquals(NAMES, mine.size(), mine.keySet().toString());
          for (var e : mine.entrySet()) {
            JsonNode r = e.getValue();
            assertEquals(winners.get(e.getKey()), r.path("metadata").path("uid").asText(), r.toString());
            assertEquals(expectedPhase(e.getKey()), r.path("status").path("phase").asText(), r.toString());
          }
        });
      }
    } finally {
      pool.shutdownNow();
    }
    // Issue 12 scope 9: a restore that failed reading its backup was past validation.
    JsonNode failed = apis.get(1).get(PREFIX + 1, "").json();
    assertFalse(failed.path("status").path("startTimestamp").asText().isEmpty(), failed.toString());
    assertTrue(failed.path("status").path("failureReason").asText().contains(CORRUPT)
        || failed.path("status").path("failureReason").asText().startsWith("error downloading backup"), failed.toString());
    assertTrue(apis.get(0).get(PREFIX + 2, "").json().path("status").path("startTimestamp").isMissingNode());

    // The files of each restore that ran were written by exactly one instance.
    String log0 = Files.readString(reporters.get(0).process().log());
    String log1 = Files.readString(reporters.get(1).process().log());
    for (int i = 0; i < NAMES; i += 10) {
      String stored = "Stored the files of restore " + PREFIX + i + " under";
      assertTrue(log0.contains(stored) ^ log1.contains(stored), PREFIX + i + " stored by exactly one instance");
    }

    // Velero's counters: exported by one instance, summed they are what the restores did.
    // (Computed again at each try: restores of other tests sharing the broker may still move.)
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(truth(apis.get(0)), summed(reporters)));
    Map<String, Double> before = summed(reporters);
    System.out.println("velero_restore_* summed over both instances: " + before);
    List<ReboundServices.Running> exporters = reporters.stream().filter(NamesAcrossInstancesIT::exports).toList();
    assertEquals(1, exporters.size(), "exactly one instance exports velero_restore_*");

    ReboundServices.Running owner = exporters.get(0);
    ReboundServices.Running survivor = reporters.get(0) == owner ? reporters.get(1) : reporters.get(0);
    RestoreApi survivorApi = apis.get(reporters.indexOf(survivor));
    assertTrue(summed(List.of(survivor)).values().stream().allMatch(v -> v == 0.0), "the other exports none");
    long killedAt = System.nanoTime();
    owner.process().kill();
    await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertEquals(truth(survivorApi), summed(List.of(survivor))));
    Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
    System.out.printf("the surviving instance exported the same totals %d ms after the SIGKILL%n", takeover.toMillis());
    // The lease's session timeout (10 s) plus a rebalance and a scrape.
    assertTrue(takeover.compareTo(Duration.ofSeconds(25)) < 0, "takeover took " + takeover);
  }

  /** Our restores as one instance lists them, by number. */
  private static Map<Integer, JsonNode> ours(RestoreApi api) throws IOException, InterruptedException {
    Map<Integer, JsonNode> mine = new TreeMap<>();
    for (JsonNode r : api.get("/api/v1/restores").json().path("items")) {
      String name = r.path("metadata").path("name").asText();
      if (name.matches(Pattern.quote(PREFIX) + "\\d+")) {
        assertEquals(null, mine.put(Integer.parseInt(name.substring(PREFIX.length())), r), name + " listed twice");
      }
    }
    return mine;
  }

  /**
   * What the counters must say, from every restore the instance lists (the broker is shared with the
   * other tests of this run, whose restores count too): attempts are restores past New, then one
   * counter per ending.
   */
  private static Map<String, Double> truth(RestoreApi api) throws IOException, InterruptedException {
    Map<String, Double> counts = new TreeMap<>();
    COUNTERS.forEach(c -> counts.put(c, 0.0));
    JsonNode items = api.get("/api/v1/restores").json().path("items");
    counts.put("velero_restore_total", (double) items.size());
    List<String> phases = new java.util.ArrayList<>();
    items.forEach(r -> phases.add(r.path("status").path("phase").asText()));
    // Restores other tests deleted are not listed, but their counts stay (kept under __deleted/<uid>).
    for (var snapshot : new KafkaTopics(LocalServers.kafka().bootstrapServers()).snapshots().entrySet()) {
      if (snapshot.getKey().startsWith("__deleted/") && snapshot.getValue() != null) {
        phases.add(dev.rebound.model.Json.mapper().readTree(snapshot.getValue()).path("phase").asText());
      }
    }
    for (String phase : phases) {
      if (!phase.equals("New")) {
        counts.merge("velero_restore_attempt_total", 1.0, Double::sum);
      }
      String ending = switch (phase) {
        case "FailedValidation" -> "velero_restore_validation_failed_total";
        case "Failed" -> "velero_restore_failed_total";
        case "Completed" -> "velero_restore_success_total";
        case "PartiallyFailed" -> "velero_restore_partial_failure_total";
        default -> null;
      };
      if (ending != null) {
        counts.merge(ending, 1.0, Double::sum);
      }
    }
    return counts;
  }

  /** Each counter summed over schedules and over the instances, as Prometheus' {@code sum()} would. */
  private static Map<String, Double> summed(List<ReboundServices.Running> instances) throws IOException,
      InterruptedException {
    Map<String, Double> sums = new TreeMap<>();
    COUNTERS.forEach(c -> sums.put(c, 0.0));
    sums.put("velero_restore_total", 0.0);
    for (ReboundServices.Running r : instances) {
      String metrics = new RestoreApi(r.url(), LocalServers.kube().adminToken()).get("/q/metrics").body();
      for (String name : sums.keySet()) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(metrics);
        while (m.find()) {
          sums.merge(name, Double.parseDouble(m.group(2)), Double::sum);
        }
      }
    }
    return sums;
  }

  private static boolean exports(ReboundServices.Running instance) {
    try {
      return new RestoreApi(instance.url(), LocalServers.kube().adminToken()).get("/q/metrics").body().contains("\nvelero_restore_attempt_total{");
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
