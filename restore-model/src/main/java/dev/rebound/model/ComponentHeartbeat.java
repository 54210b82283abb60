package dev.rebound.model;

import java.time.Instant;
import java.util.Objects;

/**
 * Published by every service instance on {@link Topics#HEARTBEATS} at a fixed interval, so the
 * status-reporter can tell which instances of which services are alive (for example how many
 * item-restorers a restore is being spread over).
 *
 * @param component the service's name ({@link Component#id()})
 * @param instance unique per process; stays the same for the process's life
 * @param startedAt when the process started
 * @param sentAt when this heartbeat was sent
 * @param intervalSeconds how often the instance sends; a reader treats an instance as gone after
 *     three intervals without a heartbeat
 * @param clusters the target clusters the instance is configured with, by name (empty for a
 *     service without any, and in heartbeats of older versions)
 */
public record ComponentHeartbeat(
    String component, String instance, Instant startedAt, Instant sentAt, long intervalSeconds,
    java.util.List<String> clusters) {

  public ComponentHeartbeat(String component, String instance, Instant startedAt, Instant sentAt, long intervalSeconds) {
    this(component, instance, startedAt, sentAt, intervalSeconds, java.util.List.of());
  }

  public ComponentHeartbeat {
    clusters = clusters == null ? java.util.List.of() : java.util.List.copyOf(clusters);
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(sentAt, "sentAt");
    if (intervalSeconds <= 0) {
      throw new IllegalArgumentException("intervalSeconds must be positive: " + intervalSeconds);
    }
  }

  /** Whether an instance that sent this heartbeat is still to be treated as alive at {@code now}. */
  public boolean aliveAt(Instant now) {
    return !sentAt.plusSeconds(3 * intervalSeconds).isBefore(now);
  }
}
