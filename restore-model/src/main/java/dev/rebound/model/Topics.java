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
   * name; read by the coordinator and the status-reporter from the checkpoints of {@link #RESTORE_SNAPSHOTS}
   * to rebuild the state of the restores that have not ended.
   */
  public static final String RESTORE_EVENTS = "rebound.restore-events";

  /**
   * Compacted: per ended restore (key: its name) its summary, and per partition of
   * {@link #RESTORE_EVENTS} (key: {@code __checkpoint/<partition>}) the offset a reader starts that
   * partition at. Read to its end before the restore log, so a start reads only the active restores.
   */
  public static final String RESTORE_SNAPSHOTS = "rebound.restore-snapshots";

  /**
   * The recorded plans ({@link dev.rebound.model.pipeline.StoredPlan}): every item task of every
   * wave of a restore run, written once when it is planned, sealed as on {@link #RESTORE_ITEMS}; the
   * coordinator that publishes a wave reads its tasks here. Time retention, as the restore log.
   */
  public static final String RESTORE_PLANS = "rebound.restore-plans";

  /** Items to restore ({@link dev.rebound.model.pipeline.ItemTask}), one per item per target cluster. */
  public static final String RESTORE_ITEMS = "rebound.restore-items";

  /**
   * Item tasks no item-restorer could decode, copied as they were (value and headers) with headers
   * naming their source topic, partition and offset and the reason, for inspection.
   */
  public static final String RESTORE_ITEMS_DEAD_LETTER = "rebound.restore-items.dead-letter";

  /**
   * Compacted: the restores canceled while they ran (key: the restore's uid; value a
   * {@link dev.rebound.model.pipeline.RestoreCancel}), written by the coordinator that drives the
   * restore; every item-restorer reads it whole and skips the items of those restores. A restore's
   * record is removed (a tombstone) when the restore is deleted.
   */
  public static final String RESTORE_CANCELS = "rebound.restore-cancels";

  /** Every topic Rebound uses, in the order the README documents them. */
  public static final List<String> ALL = List.of(HEARTBEATS, RESTORE_EVENTS, RESTORE_SNAPSHOTS, RESTORE_PLANS, RESTORE_ITEMS,
      RESTORE_ITEMS_DEAD_LETTER, RESTORE_CANCELS);

  private Topics() {}
}
