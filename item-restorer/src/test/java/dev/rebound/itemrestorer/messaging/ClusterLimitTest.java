package dev.rebound.itemrestorer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rebound.testsupport.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Additive increase, multiplicative decrease on 429s: the arithmetic of a cluster's limit. */
class ClusterLimitTest {

  private final ManualClock clock = new ManualClock(java.time.Instant.parse("2026-12-06T00:00:00Z"));
  private final ClusterLimit limit = new ClusterLimit(32, Duration.ofSeconds(1), clock);

  @Test
  void aBurstOf429sHalvesTheLimitOncePerSecond() {
    limit.throttled();
    limit.throttled();
    limit.throttled();
    assertEquals(16, limit.current(), "one burst, one cut");
    clock.advance(Duration.ofSeconds(1));
    limit.throttled();
    assertEquals(8, limit.current());
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofSeconds(1));
      limit.throttled();
    }
    assertEquals(1, limit.current(), "never below one");
  }

  @Test
  void finishedItemsGrowItBackByOnePerLimitItemsUpToTheMaximum() throws Exception {
    limit.throttled();
    assertEquals(16, limit.current());
    int items = 0;
    while (limit.current() == 16) {
      limit.acquire();
      limit.release();
      items++;
    }
    assertEquals(17, limit.current());
    assertEquals(17, items, "about one limit's worth of items adds one (each adds 1/limit)");
    for (int i = 0; i < 10_000; i++) {
      limit.acquire();
      limit.release();
    }
    assertEquals(32, limit.current(), "the lane's threads are the ceiling");
  }
}
