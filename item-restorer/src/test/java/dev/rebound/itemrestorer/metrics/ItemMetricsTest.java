package dev.rebound.itemrestorer.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.testsupport.Readme;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The item-restorer's counter as Prometheus scrapes it, and the README's metrics table naming it. */
class ItemMetricsTest {

  @Test
  void countsEachItemByClusterAndOutcomeUnderItsDocumentedName() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ItemMetrics metrics = new ItemMetrics(registry);
    metrics.restored("default", ItemAction.CREATED);
    metrics.restored("default", ItemAction.CREATED);
    metrics.restored("east", ItemAction.FAILED);
    metrics.restored("default", null);
    metrics.lane("east", () -> 16, () -> 120);

    String scraped = registry.scrape();
    // The exposition format of the simpleclient registry Quarkus serves (a comma after the last label).
    assertTrue(scraped.contains("rebound_item_restorer_items_total{cluster=\"default\",outcome=\"created\",} 2.0"), scraped);
    assertTrue(scraped.contains("rebound_item_restorer_items_total{cluster=\"east\",outcome=\"failed\",} 1.0"), scraped);
    assertTrue(scraped.contains("rebound_item_restorer_items_total{cluster=\"default\",outcome=\"none\",} 1.0"), scraped);
    assertTrue(scraped.contains("rebound_item_restorer_cluster_concurrency{cluster=\"east\",} 16.0"), scraped);
    assertTrue(scraped.contains("rebound_item_restorer_held_items{cluster=\"east\",} 120.0"), scraped);
    assertEquals(java.util.Set.copyOf(ItemMetrics.PROMETHEUS), scraped.lines().filter(l -> l.startsWith("# TYPE "))
        .map(l -> l.split(" ")[2]).collect(java.util.stream.Collectors.toSet()));
  }

  @Test
  void everyMetricIsInTheReadmeMetricsTable() {
    String readme = Readme.text();
    String metrics = readme.substring(readme.indexOf("## Metrics"));
    for (String name : ItemMetrics.PROMETHEUS) {
      assertTrue(metrics.contains("| `" + name + "` |"), name + " is not in the README's metrics table");
    }
  }
}
