package dev.rebound.itemrestorer.metrics;

import dev.rebound.model.pipeline.ItemAction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The item-restorer's own metrics, served by each instance on its {@code /q/metrics} (the README's
 * metrics table): what this instance restored, so a scrape of every instance shows how a restore's
 * items were shared out among them. The restore-wide figures are the status-reporter's.
 */
@ApplicationScoped
public class ItemMetrics {

  /** {@code rebound_item_restorer_items_total}, counter, tags {@code cluster} and {@code outcome}. */
  public static final String ITEMS = "rebound_item_restorer_items";

  /** {@code rebound_item_restorer_cluster_concurrency}, gauge, tag {@code cluster}. */
  public static final String CONCURRENCY = "rebound_item_restorer_cluster_concurrency";

  /** {@code rebound_item_restorer_held_items}, gauge, tag {@code cluster}. */
  public static final String HELD = "rebound_item_restorer_held_items";

  /** The Prometheus names, as scraped. */
  public static final List<String> PROMETHEUS = List.of("rebound_item_restorer_items_total", CONCURRENCY, HELD);

  /** The {@code outcome} of an item for which Velero records nothing (a namespace that already existed). */
  public static final String NOT_LISTED = "none";

  private final MeterRegistry registry;
  /** By cluster and outcome: looked up once, not built and registered again for every item. */
  private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

  ItemMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The {@code outcome} of an item not restored because its restore was canceled. */
  public static final String CANCELED = "canceled";

  /** Counts an item of a canceled restore, skipped, whose result the broker has acknowledged. */
  public void canceled(String cluster) {
    count(cluster, CANCELED);
  }

  /** Counts an item whose result the broker has acknowledged. */
  public void restored(String cluster, ItemAction action) {
    count(cluster, action == null ? NOT_LISTED : action.value());
  }

  /**
   * A cluster's lane: how many of its items may be under way now (lowered while its API server
   * answers 429) and how many this instance holds (queued, under way, or their result not yet
   * acknowledged).
   */
  public void lane(String cluster, Supplier<Number> concurrency, Supplier<Number> held) {
    Gauge.builder(CONCURRENCY, concurrency)
        .description("Items this instance may restore at the same time into the cluster (lowered while it answers 429)")
        .tag("cluster", cluster).strongReference(true).register(registry);
    Gauge.builder(HELD, held)
        .description("Items this instance holds for the cluster: queued, under way, or their result not yet acknowledged")
        .tag("cluster", cluster).strongReference(true).register(registry);
  }

  private void count(String cluster, String outcome) {
    counters.computeIfAbsent(List.of(cluster, outcome), k -> Counter.builder(ITEMS)
        .description("Items this item-restorer instance restored, by target cluster and resource-list action")
        .tag("cluster", cluster)
        .tag("outcome", outcome)
        .register(registry)).increment();
  }
}
