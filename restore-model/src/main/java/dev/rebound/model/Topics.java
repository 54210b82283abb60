package dev.rebound.model;

import java.util.List;

/**
 * Kafka topic names shared by every service. Channel configuration in each service's
 * application.properties refers to these names; a test checks the README lists the same set.
 */
public final class Topics {

  /** Liveness of every service instance: one {@link ComponentHeartbeat} per instance per interval. */
  public static final String HEARTBEATS = "rebound.heartbeats";

  /** Every topic Rebound uses, in the order the README documents them. */
  public static final List<String> ALL = List.of(HEARTBEATS);

  private Topics() {}
}
