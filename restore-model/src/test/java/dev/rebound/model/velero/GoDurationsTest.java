package dev.rebound.model.velero;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The text of Go's {@code time.Duration}, as Velero prints hook timeouts and the wave progress timeout. */
class GoDurationsTest {

  @Test
  void durationsPrintAsGoPrintsThem() {
    assertEquals("0s", GoDurations.format(0));
    assertEquals("30s", GoDurations.format(30_000));
    assertEquals("1m30s", GoDurations.format(90_000));
    assertEquals("500ms", GoDurations.format(500));
    assertEquals("1.5s", GoDurations.format(1_500));
    assertEquals("1h0m0s", GoDurations.format(3_600_000));
    assertEquals("30m0s", GoDurations.format(1_800_000));
  }
}
