package dev.rebound.statusreporter.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.Component;
import dev.rebound.model.Json;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert rules (k8s/prometheus) as Prometheus itself reads them: promtool checks them and runs
 * their unit tests; every alert is tested firing and not firing; the PrometheusRule of the
 * monitoring overlay carries the same groups; and every metric an alert reads is one Rebound exports
 * (a rule on a series nobody exports would never fire).
 */
class AlertRulesTest {

  static final Path ROOT = Path.of(System.getProperty("rebound.project.root"));
  static final Path RULES = ROOT.resolve("k8s/prometheus/rebound-alerts.rules.yml");
  static final Path TESTS = ROOT.resolve("k8s/prometheus/rebound-alerts.test.yml");
  static final Path PROMETHEUS_RULE = ROOT.resolve("k8s/overlays/monitoring/prometheusrule.yaml");

  @Test
  void promtoolAcceptsTheRules() throws Exception {
    promtool("check", "rules", RULES.toString());
  }

  @Test
  void promtoolUnitTestsOfTheRulesPass() throws Exception {
    promtool("test", "rules", TESTS.toString());
  }

  @Test
  void everyAlertIsTestedFiringAndNotFiring() throws IOException {
    Set<String> firing = new HashSet<>();
    Set<String> quiet = new HashSet<>();
    for (JsonNode test : Json.yaml().readTree(TESTS.toFile()).path("tests")) {
      for (JsonNode check : test.path("alert_rule_test")) {
        String alert = check.path("alertname").asText();
        (check.path("exp_alerts").isEmpty() ? quiet : firing).add(alert);
      }
    }
    List<String> alerts = alerts(rulesGroups());
    assertFalse(alerts.isEmpty());
    for (String alert : alerts) {
      assertTrue(firing.contains(alert), alert + " is never tested firing in " + TESTS.getFileName());
      assertTrue(quiet.contains(alert), alert + " is never tested not firing in " + TESTS.getFileName());
    }
  }

  @Test
  void thePrometheusRuleHasTheSameGroupsAsThePlainFile() throws IOException {
    JsonNode rule = Json.yaml().readTree(PROMETHEUS_RULE.toFile());
    assertEquals("monitoring.coreos.com/v1", rule.path("apiVersion").asText());
    assertEquals("PrometheusRule", rule.path("kind").asText());
    assertEquals(rulesGroups(), rule.path("spec").path("groups"),
        PROMETHEUS_RULE.getFileName() + " spec.groups differs from " + RULES.getFileName());
  }

  @Test
  void everyAlertReadsOnlyMetricsReboundExports() throws IOException {
    Map<String, Set<String>> unknown = new TreeMap<>();
    for (JsonNode group : rulesGroups()) {
      for (JsonNode rule : group.path("rules")) {
        String expr = rule.path("expr").asText();
        assertFalse(PromQl.metricNames(expr).isEmpty(), rule.path("alert").asText() + " reads no metric: " + expr);
        Set<String> missing = PromQl.notExported(expr);
        if (!missing.isEmpty()) {
          unknown.put(rule.path("alert").asText(), missing);
        }
      }
    }
    assertEquals(Map.of(), unknown, "alerts on series Rebound does not export never fire");
  }

  /** The community rule on Velero's non-existent series is caught by the same check. */
  @Test
  void aRuleOnASeriesNobodyExportsIsCaught() {
    String community = "increase(velero_restore_failure_total{schedule!=\"\"}[1h]) > 0";
    assertEquals(Set.of("velero_restore_failure_total"), PromQl.metricNames(community));
    assertEquals(Set.of("velero_restore_failure_total"), PromQl.notExported(community));
    assertEquals(Set.of(), PromQl.notExported("max by (schedule) (increase(velero_restore_failed_total[15m])) > 0 "
        + "unless max by (schedule) (velero_restore_failed_total offset 15m)"));
    assertEquals(Set.of("rebound_restore_duration_seconds_bucket"), PromQl.metricNames(
        "histogram_quantile(0.9, sum by (le) (rate(rebound_restore_duration_seconds_bucket[5m])))"));
  }

  @Test
  void theComponentAlertCoversEveryService() throws IOException {
    String expr = rule("ReboundComponentDown").path("expr").asText();
    for (Component c : Component.values()) {
      assertTrue(expr.contains("absent(rebound_component_instances{component=\"" + c.id() + "\"})"),
          c.id() + " is missing from " + expr);
    }
  }

  @Test
  void everyAlertHasASeverityASummaryAndADescription() throws IOException {
    for (JsonNode group : rulesGroups()) {
      for (JsonNode rule : group.path("rules")) {
        String alert = rule.path("alert").asText();
        assertTrue(Set.of("critical", "warning").contains(rule.at("/labels/severity").asText()), alert);
        assertFalse(rule.at("/annotations/summary").asText().isBlank(), alert);
        assertFalse(rule.at("/annotations/description").asText().isBlank(), alert);
      }
    }
  }

  static JsonNode rulesGroups() throws IOException {
    return Json.yaml().readTree(RULES.toFile()).path("groups");
  }

  private static JsonNode rule(String alert) throws IOException {
    for (JsonNode group : rulesGroups()) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.path("alert").asText().equals(alert)) {
          return rule;
        }
      }
    }
    throw new AssertionError("no alert " + alert);
  }

  private static List<String> alerts(JsonNode groups) {
    List<String> alerts = new ArrayList<>();
    groups.forEach(g -> g.path("rules").forEach(r -> alerts.add(r.path("alert").asText())));
    return alerts;
  }

  /** Runs Debian's promtool; fails with its output unless it exits 0. */
  static void promtool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(promtoolPath()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", command) + " did not finish in 120 s:\n" + output);
    }
    assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + output);
  }

  private static String promtoolPath() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "promtool");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return fail("promtool is not installed: scripts/setup.sh installs Debian's prometheus package, which has it");
  }
}
