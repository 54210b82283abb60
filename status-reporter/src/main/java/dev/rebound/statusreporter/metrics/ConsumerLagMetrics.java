package dev.rebound.statusreporter.metrics;

import dev.rebound.model.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@value MetricNames#ITEM_RESTORER_CONSUMER_LAG}: how far the item-restorers' consumer group is
 * behind on {@link Topics#RESTORE_ITEMS}, read every {@link #INTERVAL}. A reading that fails is
 * logged (once until readings succeed again) and shows as NaN, never as a stale number.
 */
@ApplicationScoped
public class ConsumerLagMetrics {

  private static final Logger LOG = Logger.getLogger(ConsumerLagMetrics.class);

  /** The item-restorers' consumer group ({@code group.id} of their {@code restore-items-in} channel). */
  public static final String ITEM_RESTORER_GROUP = "rebound-item-restorer";

  static final Duration INTERVAL = Duration.ofSeconds(5);

  private final String bootstrapServers;
  private final Duration timeout;
  private volatile double lag = Double.NaN;
  private volatile boolean failing;
  private Admin admin;
  private ScheduledExecutorService timer;
  private final MeterRegistry registry;
  private final Gauge gauge;

  @Inject
  ConsumerLagMetrics(MeterRegistry registry, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    this(registry, bootstrapServers, Duration.ofSeconds(10));
  }

  ConsumerLagMetrics(MeterRegistry registry, String bootstrapServers, Duration timeout) {
    this.bootstrapServers = bootstrapServers;
    this.timeout = timeout;
    this.registry = registry;
    this.gauge = Gauge.builder(MetricNames.ITEM_RESTORER_CONSUMER_LAG, this, m -> m.lag)
        .description("Items published to the item-restorers that their consumer group has not committed")
        .tags("group", ITEM_RESTORER_GROUP, "topic", Topics.RESTORE_ITEMS).strongReference(true)
        .register(registry);
  }

  void start(@Observes StartupEvent event) {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "rebound-consumer-lag");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::refresh, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    // A registry can outlive this bean (tests restart the application in one JVM): a gauge left
    // behind would keep reading this stopped instance, and a new one would not be registered.
    registry.remove(gauge);
    if (timer != null) {
      timer.shutdownNow();
      try {
        // The admin client is closed only once no reading uses it.
        timer.awaitTermination(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    close();
  }

  /** Reads the lag once; never throws. */
  void refresh() {
    try {
      if (admin == null) {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
            AdminClientConfig.CLIENT_ID_CONFIG, "status-reporter-consumer-lag"));
      }
      lag = new ConsumerLag(admin, ITEM_RESTORER_GROUP, Topics.RESTORE_ITEMS, timeout).read();
      if (failing) {
        LOG.infof("the lag of consumer group %s on %s is read again", ITEM_RESTORER_GROUP, Topics.RESTORE_ITEMS);
        failing = false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      lag = Double.NaN;
      if (!failing) {
        LOG.warnf("cannot read the lag of consumer group %s on %s from %s: %s", ITEM_RESTORER_GROUP,
            Topics.RESTORE_ITEMS, bootstrapServers, e.getCause() != null ? e.getCause().toString() : e.toString());
        failing = true;
      }
    }
  }

  /** The last reading: NaN before the first and after a failed one. */
  double lag() {
    return lag;
  }

  void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
      admin = null;
    }
  }
}
