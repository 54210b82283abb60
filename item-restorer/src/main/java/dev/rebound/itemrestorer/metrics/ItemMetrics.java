package dev.rebound.itemrestorer.metrics;

import dev.rebound.model.pipeline.ItemAction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
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

  /** The Prometheus names, as scraped. */
  public static final List<String> PROMETHEUS = List.of("rebound_item_restorer_items_total");

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

  private void count(String cluster, String outcome) {
    counters.computeIfAbsent(List.of(cluster, outcome), k -> Counter.builder(ITEMS)
        .description("Items this item-restorer instance restored, by target cluster and resource-list action")
        .tag("cluster", cluster)
        .tag("outcome", outcome)
        .register(registry)).increment();
  }
}
