package dev.rebound.statusreporter.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.testsupport.Readme;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/** The README's metrics table lists every metric name the code defines. */
class MetricNamesDocumentedTest {

  @Test
  void everyMetricNameIsInTheReadmeMetricsTable() throws IllegalAccessException {
    String readme = Readme.text();
    String metrics = readme.substring(readme.indexOf("## Metrics"));
    for (String name : MetricNames.PROMETHEUS) {
      assertTrue(metrics.contains("| `" + name + "` |"), name + " is not in the README's metrics table");
    }
    // every constant's scraped name is in the list
    for (Field f : MetricNames.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        String name = (String) f.get(null);
        assertTrue(MetricNames.PROMETHEUS.stream().anyMatch(p -> p.startsWith(name)), name + " has no Prometheus name");
      }
    }
  }
}
