package dev.rebound.model;

import java.util.List;

/**
 * Kafka topic names shared by every service. Channel configuration in each service's
 * application.properties refers to these names; a test checks the README lists the same set.
 */
public final class Topics {

  /** Liveness of every service instance: one {@link ComponentHeartbeat} per instance per interval. */
  public static final String HEARTBEATS = "rebound.heartbeats";

  /**
   * The log of every restore ({@link dev.rebound.model.pipeline.RestoreEvent}), keyed by restore
   * name; read from the start by the coordinator and the status-reporter to rebuild their state.
   */
  public static final String RESTORE_EVENTS = "rebound.restore-events";

  /** Items to restore ({@link dev.rebound.model.pipeline.ItemTask}), one per item per target cluster. */
  public static final String RESTORE_ITEMS = "rebound.restore-items";

  /**
   * Item tasks no item-restorer could decode, copied as they were (value and headers) with headers
   * naming their source topic, partition and offset and the reason, for inspection.
   */
  public static final String RESTORE_ITEMS_DEAD_LETTER = "rebound.restore-items.dead-letter";

  /** Every topic Rebound uses, in the order the README documents them. */
  public static final List<String> ALL = List.of(HEARTBEATS, RESTORE_EVENTS, RESTORE_ITEMS,
      RESTORE_ITEMS_DEAD_LETTER);

  private Topics() {}
}
