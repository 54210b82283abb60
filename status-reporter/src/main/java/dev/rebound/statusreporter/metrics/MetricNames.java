package dev.rebound.statusreporter.metrics;

import java.util.List;

/**
 * Every metric the status-reporter exposes, by the name Micrometer registers (the Prometheus name
 * is in each comment); the README lists the same.
 */
public final class MetricNames {

  /** {@code rebound_component_instances}, gauge, tag {@code component}: live instances of each service. */
  public static final String COMPONENT_INSTANCES = "rebound_component_instances";

  /** {@code velero_restore_total}, gauge: restores known. */
  public static final String RESTORE_TOTAL = "velero_restore_total";

  /** {@code velero_restore_attempt_total}, counter, tag {@code schedule}. */
  public static final String RESTORE_ATTEMPT = "velero_restore_attempt";

  /** {@code velero_restore_validation_failed_total}, counter, tag {@code schedule}. */
  public static final String RESTORE_VALIDATION_FAILED = "velero_restore_validation_failed";

  /** {@code velero_restore_failed_total}, counter, tag {@code schedule}. */
  public static final String RESTORE_FAILED = "velero_restore_failed";

  /** {@code velero_restore_success_total}, counter, tag {@code schedule}. */
  public static final String RESTORE_SUCCESS = "velero_restore_success";

  /** {@code velero_restore_partial_failure_total}, counter, tag {@code schedule}. */
  public static final String RESTORE_PARTIAL_FAILURE = "velero_restore_partial_failure";

  /** {@code rebound_restore_items_total}, counter, tag {@code outcome} (created, updated, skipped, failed). */
  public static final String RESTORE_ITEMS = "rebound_restore_items";

  /**
   * {@code rebound_restore_canceled_total}, counter, tag {@code schedule}: restores that ended
   * {@code Canceled} (Rebound's phase; Velero cannot cancel a restore, so it has no such counter).
   * They count as attempts, never as failures.
   */
  public static final String RESTORE_CANCELED = "rebound_restore_canceled";

  /** {@code rebound_restore_duration_seconds}, histogram: start to completion of restores that started. */
  public static final String RESTORE_DURATION = "rebound_restore_duration";

  /**
   * {@code rebound_restore_in_progress_start_time_seconds}, gauge, tags {@code restore} and {@code schedule}: the
   * start time (seconds since the epoch) of each restore that started and has not ended; its series goes when it ends.
   */
  public static final String RESTORE_IN_PROGRESS_START_TIME = "rebound_restore_in_progress_start_time_seconds";

  /**
   * {@code rebound_item_restorer_consumer_lag}, gauge, tags {@code group} and {@code topic}: items published to the
   * item-restorers and not yet committed by their consumer group.
   */
  public static final String ITEM_RESTORER_CONSUMER_LAG = "rebound_item_restorer_consumer_lag";

  /** The Prometheus names, as scraped. */
  public static final List<String> PROMETHEUS = List.of("rebound_component_instances", "velero_restore_total",
      "velero_restore_attempt_total", "velero_restore_validation_failed_total", "velero_restore_failed_total",
      "velero_restore_success_total", "velero_restore_partial_failure_total", "rebound_restore_canceled_total", "rebound_restore_items_total",
      "rebound_restore_duration_seconds", "rebound_restore_in_progress_start_time_seconds",
      "rebound_item_restorer_consumer_lag");

  /** Velero's help texts for its counters. */
  public static String description(String name) {
    return switch (name) {
      case RESTORE_ATTEMPT -> "Total number of attempted restores";
      case RESTORE_VALIDATION_FAILED -> "Total number of failed restores failing validations";
      case RESTORE_FAILED -> "Total number of failed restores";
      case RESTORE_SUCCESS -> "Total number of successful restores";
      case RESTORE_PARTIAL_FAILURE -> "Total number of partially failed restores";
      case RESTORE_CANCELED -> "Total number of canceled restores";
      default -> name;
    };
  }

  private MetricNames() {}
}
