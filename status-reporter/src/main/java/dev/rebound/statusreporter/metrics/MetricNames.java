package dev.rebound.statusreporter.metrics;

/** Every metric the status-reporter exposes, by its Prometheus name; the README lists the same. */
public final class MetricNames {

  /** Gauge, tag {@code component}: live instances of each Rebound service, from heartbeats. */
  public static final String COMPONENT_INSTANCES = "rebound_component_instances";

  private MetricNames() {}
}
