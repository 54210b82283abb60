package dev.rebound.statusreporter.restores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.statusreporter.metrics.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The restore metrics are exported by one status-reporter at a time: unbinding removes every meter,
 * binding again shows the whole log's totals (not a count from zero).
 */
class RestoreMetricsTest {

  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RestoreMetrics metrics = new RestoreMetrics(registry);

  private double counter(String name, String schedule) {
    return registry.get(name).tag("schedule", schedule).functionCounter().count();
  }

  @Test
  void unbindRemovesEveryRestoreMeterAndBindShowsTheTotalsFoldedMeanwhile() {
    metrics.attempted("");
    metrics.ended("", RestorePhase.COMPLETED, T0, T0.plusSeconds(4));
    metrics.items(ItemAction.CREATED, 1);
    metrics.restoreCount(1);
    metrics.inProgress("running", "nightly", T0);
    assertTrue(registry.getMeters().isEmpty(), "nothing before the first bind");

    metrics.bind();
    assertEquals(1.0, counter(MetricNames.RESTORE_ATTEMPT, ""));
    assertEquals(1.0, counter(MetricNames.RESTORE_SUCCESS, ""));
    assertEquals(1L, registry.get(MetricNames.RESTORE_DURATION).timer().count());

    metrics.unbind();
    assertTrue(registry.getMeters().isEmpty(), "an instance that lost the lease exports none: "
        + registry.getMeters().stream().map(m -> m.getId().getName()).toList());

    // Folded while another instance exported them.
    metrics.attempted("nightly");
    metrics.ended("nightly", RestorePhase.FAILED, T0, T0.plusSeconds(1));
    metrics.attempted("");
    metrics.ended("", RestorePhase.FAILED_VALIDATION, null, null);
    metrics.notInProgress("running");
    metrics.inProgress("other", "", T0.plusSeconds(9));
    metrics.restoreCount(3);
    assertTrue(registry.getMeters().isEmpty());

    metrics.bind();
    assertEquals(2.0, counter(MetricNames.RESTORE_ATTEMPT, ""));
    assertEquals(1.0, counter(MetricNames.RESTORE_ATTEMPT, "nightly"));
    assertEquals(1.0, counter(MetricNames.RESTORE_FAILED, "nightly"));
    assertEquals(1.0, counter(MetricNames.RESTORE_VALIDATION_FAILED, ""));
    assertEquals(1.0, counter(MetricNames.RESTORE_SUCCESS, ""));
    assertEquals(0.0, counter(MetricNames.RESTORE_PARTIAL_FAILURE, ""));
    assertEquals(3.0, registry.get(MetricNames.RESTORE_TOTAL).gauge().value());
    assertEquals(1.0, registry.get(MetricNames.RESTORE_ITEMS).tag("outcome", "created").functionCounter().count());
    assertEquals(2L, registry.get(MetricNames.RESTORE_DURATION).timer().count(), "every duration, recorded again");
    assertNull(registry.find(MetricNames.RESTORE_IN_PROGRESS_START_TIME).tag("restore", "running").gauge());
    assertEquals(T0.plusSeconds(9).getEpochSecond(),
        registry.get(MetricNames.RESTORE_IN_PROGRESS_START_TIME).tag("restore", "other").gauge().value());
  }
}
