package dev.rebound.statusreporter.components;

import dev.rebound.model.ComponentHeartbeat;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live instances of every Rebound service, from their heartbeats. An instance is live until it
 * has missed the configured number of heartbeat intervals; gone instances are forgotten.
 */
public final class ComponentRegistry {

  private final Map<String, ComponentHeartbeat> latest = new ConcurrentHashMap<>();
  private final int misses;

  public ComponentRegistry(int misses) {
    if (misses < 1) {
      throw new IllegalArgumentException("heartbeat misses must be at least 1: " + misses);
    }
    this.misses = misses;
  }

  /** Keeps the newest heartbeat per instance; a late, older one is ignored. */
  public void record(ComponentHeartbeat heartbeat) {
    latest.merge(heartbeat.instance(), heartbeat,
        (old, neu) -> neu.sentAt().isBefore(old.sentAt()) ? old : neu);
  }

  /** Live instances at {@code now}, by component then instance. */
  public List<ComponentHeartbeat> live(Instant now) {
    latest.values().removeIf(h -> !isLive(h, now));
    return latest.values().stream()
        .sorted(Comparator.comparing(ComponentHeartbeat::component).thenComparing(ComponentHeartbeat::instance))
        .toList();
  }

  /** How many live instances {@code component} has at {@code now}. */
  public long liveCount(String component, Instant now) {
    return live(now).stream().filter(h -> h.component().equals(component)).count();
  }

  private boolean isLive(ComponentHeartbeat h, Instant now) {
    return !h.sentAt().plusSeconds(misses * h.intervalSeconds()).isBefore(now);
  }
}
