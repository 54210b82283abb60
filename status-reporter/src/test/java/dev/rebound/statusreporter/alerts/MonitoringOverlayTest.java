package dev.rebound.statusreporter.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The monitoring overlay (k8s/overlays/monitoring): the base plus a PodMonitor on the Rebound
 * pods' {@code http} port, the PrometheusRule, and a Grafana dashboard whose queries read only
 * series Rebound exports.
 */
class MonitoringOverlayTest {

  private static final Path OVERLAY = AlertRulesTest.ROOT.resolve("k8s/overlays/monitoring");

  @Test
  void theOverlayAddsMonitoringToTheBase() throws IOException {
    JsonNode kustomization = Json.yaml().readTree(OVERLAY.resolve("kustomization.yaml").toFile());
    List<String> resources = new ArrayList<>();
    kustomization.path("resources").forEach(r -> resources.add(r.asText()));
    assertEquals(List.of("../../base", "podmonitor.yaml", "prometheusrule.yaml"), resources);
    JsonNode dashboard = kustomization.path("configMapGenerator").get(0);
    assertEquals("dashboards/rebound.json", dashboard.path("files").get(0).asText());
    assertEquals("1", dashboard.at("/options/labels/grafana_dashboard").textValue(),
        "Grafana's sidecar loads ConfigMaps labelled grafana_dashboard: \"1\"");
  }

  @Test
  void thePodMonitorScrapesEveryReboundPodOnItsHttpPort() throws IOException {
    JsonNode monitor = Json.yaml().readTree(OVERLAY.resolve("podmonitor.yaml").toFile());
    assertEquals("monitoring.coreos.com/v1", monitor.path("apiVersion").asText());
    assertEquals("PodMonitor", monitor.path("kind").asText());
    assertEquals("rebound", monitor.at("/spec/selector/matchLabels/app.kubernetes.io~1part-of").asText());
    JsonNode endpoint = monitor.at("/spec/podMetricsEndpoints/0");
    assertEquals("http", endpoint.path("port").asText());
    assertEquals("/q/metrics", endpoint.path("path").asText());
  }

  @Test
  void theDashboardQueriesOnlySeriesReboundExports() throws IOException {
    JsonNode dashboard = Json.mapper().readTree(OVERLAY.resolve("dashboards/rebound.json").toFile());
    Map<String, Set<String>> unknown = new TreeMap<>();
    int queries = 0;
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        assertFalse(PromQl.metricNames(expr).isEmpty(), panel.path("title").asText() + " reads no metric: " + expr);
        Set<String> missing = PromQl.notExported(expr);
        if (!missing.isEmpty()) {
          unknown.put(panel.path("title").asText(), missing);
        }
        queries++;
      }
    }
    assertTrue(queries > 0, "the dashboard has no queries");
    assertEquals(Map.of(), unknown);
  }
}
