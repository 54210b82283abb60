package dev.rebound.statusreporter.components;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rebound.model.ComponentHeartbeat;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComponentRegistryTest {

  private static final Instant T0 = Instant.parse("2026-11-22T03:00:00Z");

  private static ComponentHeartbeat beat(String component, String instance, int secondsAfterT0) {
    return new ComponentHeartbeat(component, instance, T0, T0.plusSeconds(secondsAfterT0), 5);
  }

  @Test
  void instanceIsLiveUntilItMissesTheConfiguredNumberOfIntervals() {
    ComponentRegistry registry = new ComponentRegistry(3);
    registry.record(beat("item-restorer", "ir-1", 0));
    assertEquals(1, registry.liveCount("item-restorer", T0.plusSeconds(15)));
    assertEquals(0, registry.liveCount("item-restorer", T0.plusSeconds(16)));
  }

  @Test
  void newestHeartbeatPerInstanceWinsEvenWhenAnOlderOneArrivesLate() {
    ComponentRegistry registry = new ComponentRegistry(3);
    registry.record(beat("item-restorer", "ir-1", 10));
    registry.record(beat("item-restorer", "ir-1", 0));
    assertEquals(List.of(beat("item-restorer", "ir-1", 10)), registry.live(T0.plusSeconds(20)));
  }

  @Test
  void instancesAreListedByComponentThenInstanceAndCountedPerComponent() {
    ComponentRegistry registry = new ComponentRegistry(3);
    registry.record(beat("status-reporter", "sr-1", 0));
    registry.record(beat("item-restorer", "ir-2", 0));
    registry.record(beat("item-restorer", "ir-1", 0));
    assertEquals(List.of("ir-1", "ir-2", "sr-1"),
        registry.live(T0).stream().map(ComponentHeartbeat::instance).toList());
    assertEquals(2, registry.liveCount("item-restorer", T0));
    assertEquals(0, registry.liveCount("volume-restorer", T0));
  }

  @Test
  void zeroMissesIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ComponentRegistry(0));
  }
}
