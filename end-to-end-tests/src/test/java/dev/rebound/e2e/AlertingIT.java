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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus scrapes the four packaged services every second and evaluates
 * k8s/prometheus/rebound-alerts.rules.yml: a restore whose backup tarball is corrupt ends
 * {@code Failed} (as Velero's restore of an unreadable backup does) and ReboundRestoreFailed fires.
 */
class AlertingIT {

  private static final Path RULES = Path.of(System.getProperty("rebound.project.root"),
      "k8s/prometheus/rebound-alerts.rules.yml");

  private static Pipeline pipeline;
  private static PrometheusServer prometheus;

  @BeforeAll
  static void start() throws Exception {
    pipeline = Pipeline.start("alerting");
    VeleroBackup whole = VeleroBackupBuilder.named("broken").items(List.of(RealisticItems.namespace("broken"),
        RealisticItems.configMap("broken", "settings", Map.of("a", "1")))).build();
    byte[] tarball = whole.tarball();
    // Uploaded as Velero would, except that the tarball is cut short.
    pipeline.uploader.upload(new VeleroBackup(whole.name(), whole.backupJson(),
        Arrays.copyOf(tarball, tarball.length / 2), whole.resourceList(), whole.volumeSnapshots(), whole.volumeInfo(),
        whole.podVolumeBackups(), whole.items()), "");
    List<String> targets = pipeline.services.running().stream().map(r -> "127.0.0.1:" + r.port()).toList();
    prometheus = PrometheusServer.start(LocalServers.runDir().resolve("prometheus"), RULES, targets);
  }

  @AfterAll
  static void stop() {
    List<Long> pids = prometheus == null ? List.of() : prometheus.pids();
    if (prometheus != null) {
      prometheus.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "prometheus pid " + pid + " left");
    }
  }

  @Test
  void aRestoreOfACorruptBackupEndsFailedAndReboundRestoreFailedFires() throws Exception {
    // Prometheus loaded every rule of the file and scrapes every service.
    Set<String> loaded = new TreeSet<>();
    prometheus.api("/api/v1/rules").path("groups")
        .forEach(g -> g.path("rules").forEach(r -> loaded.add(r.path("name").asText())));
    assertEquals(Set.of("ReboundRestoreFailed", "ReboundRestorePartiallyFailed", "ReboundRestoreFailedValidation",
        "ReboundRestoreInProgressTooLong", "ReboundComponentDown", "ReboundItemRestorerConsumerLagGrowing"), loaded);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      JsonNode up = prometheus.query("sum(up{job=\"rebound\"})");
      assertEquals(ReboundServices.NAMES.size(), up.path(0).path("value").path(1).asInt(), up.toString());
      // The ad-hoc series exist at 0 from the status-reporter's start; Prometheus has seen them at 0 twice.
      JsonNode samples = prometheus.query("count_over_time(velero_restore_failed_total{schedule=\"\"}[1m])");
      assertTrue(samples.path(0).path("value").path(1).asInt() >= 2, samples.toString());
    });
    assertEquals(0.0, prometheus.query("velero_restore_failed_total{schedule=\"\"}").path(0).path("value").path(1)
        .asDouble(-1));
    assertEquals(Set.of(), firing(), "nothing fires before the failure");

    RestoreApi.Answer submitted = pipeline.api.submit("{\"metadata\": {\"name\": \"broken-1\"}, \"spec\": "
        + "{\"backupName\": \"broken\"}}", "application/json");
    assertEquals(201, submitted.status(), submitted.body());
    JsonNode ended = pipeline.api.awaitEnd("broken-1", Duration.ofMinutes(2), r -> {});
    assertEquals("Failed", ended.path("status").path("phase").asText(), ended.toString());
    assertTrue(ended.path("status").path("failureReason").asText().startsWith("error reading backup broken: "),
        ended.toString());

    JsonNode alert = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> prometheus.alerts().stream()
            .filter(a -> a.at("/labels/alertname").asText().equals("ReboundRestoreFailed")
                && a.path("state").asText().equals("firing"))
            .findFirst().orElse(null), a -> a != null);
    assertEquals("critical", alert.at("/labels/severity").asText(), alert.toString());
    assertTrue(alert.at("/labels/schedule").isMissingNode(), "an ad-hoc restore has no schedule: " + alert);
    assertEquals("A restore not made from a schedule ended Failed", alert.at("/annotations/summary").asText());
    assertTrue(alert.at("/annotations/description").asText().contains("ended in phase Failed"), alert.toString());
    assertEquals(Set.of("ReboundRestoreFailed"), firing(), "only the matching alert fires");
    assertEquals(1.0, prometheus.query("velero_restore_failed_total{schedule=\"\"}").path(0).path("value").path(1)
        .asDouble(-1));
  }

  private static Set<String> firing() throws Exception {
    return prometheus.alerts().stream().filter(a -> a.path("state").asText().equals("firing"))
        .map(a -> a.at("/labels/alertname").asText()).collect(Collectors.toCollection(TreeSet::new));
  }
}
