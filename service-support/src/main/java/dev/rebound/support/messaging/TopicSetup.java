package dev.rebound.support.messaging;

import dev.rebound.model.Topics;
import dev.rebound.support.config.ServiceConfig;
import dev.rebound.support.settings.ServiceSettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Creates Rebound's topics with their intended settings when they are missing, at every service's
 * start (whichever service starts first creates them; the others find them). Brokers should not
 * auto-create them: an auto-created restore log would get the broker's default retention and lose
 * restore state.
 */
@ApplicationScoped
public class TopicSetup {

  private static final Logger LOG = Logger.getLogger(TopicSetup.class);

  /** Items may be up to the coordinator's item limit (3 MiB) plus the task's envelope. */
  static final String MAX_MESSAGE_BYTES = String.valueOf(8 * 1024 * 1024);

  /** How long topics with item payloads keep them: 7 days. */
  static final String ITEM_RETENTION_MS = String.valueOf(7L * 24 * 60 * 60 * 1000);

  private final String bootstrapServers;
  private final ServiceConfig config;

  private final ServiceSettings settings;

  TopicSetup(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, ServiceConfig config,
      ServiceSettings settings) {
    this.bootstrapServers = bootstrapServers;
    this.config = config;
    this.settings = settings;
  }

  /** Once the broker answers (at start, or when it comes up later), whatever the other settings say. */
  void onStart(@Observes StartupEvent event) {
    settings.oncePassed("kafka", this::create);
  }

  /** The topics and their settings, in {@link Topics#ALL} order. */
  public List<NewTopic> topics() {
    Optional<Integer> partitions = Optional.of(config.topics().partitions());
    Optional<Short> replication = config.topics().replicationFactor() < 0 ? Optional.empty()
        : Optional.of(config.topics().replicationFactor());
    return List.of(
        new NewTopic(Topics.HEARTBEATS, partitions, replication).configs(Map.of("retention.ms", "3600000")),
        // The restore log: the state of the restores that run; an ended restore lives on in its snapshot.
        new NewTopic(Topics.RESTORE_EVENTS, partitions, replication).configs(Map.of("retention.ms",
            String.valueOf(config.topics().restoreEventsRetention().toMillis()), "max.message.bytes", MAX_MESSAGE_BYTES)),
        // Ended restores' summaries and the restore log's checkpoints: the last value of each key, kept.
        new NewTopic(Topics.RESTORE_SNAPSHOTS, partitions, replication).configs(Map.of("cleanup.policy", "compact",
            "retention.ms", "-1", "max.message.bytes", MAX_MESSAGE_BYTES)),
        // Recorded plans: item payloads (sealed) kept as long as the restore log that points at them.
        new NewTopic(Topics.RESTORE_PLANS, partitions, replication).configs(Map.of("retention.ms",
            String.valueOf(config.topics().restoreEventsRetention().toMillis()), "max.message.bytes", MAX_MESSAGE_BYTES)),
        // Item payloads (sealed, but still every backed-up object): a bounded retention.
        new NewTopic(Topics.RESTORE_ITEMS, partitions, replication).configs(Map.of("retention.ms", ITEM_RETENTION_MS,
            "max.message.bytes", MAX_MESSAGE_BYTES)),
        new NewTopic(Topics.RESTORE_ITEMS_DEAD_LETTER, partitions, replication).configs(Map.of("retention.ms",
            ITEM_RETENTION_MS, "max.message.bytes", MAX_MESSAGE_BYTES)),
        // Canceled restores' fences: the last record of each uid, kept until the restore is deleted.
        new NewTopic(Topics.RESTORE_CANCELS, partitions, replication).configs(Map.of("cleanup.policy", "compact",
            "retention.ms", "-1")));
  }

  void create() {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000"))) {
      for (NewTopic topic : topics()) {
        try {
          admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
          LOG.infof("created topic %s with %s partitions", topic.name(), topic.numPartitions());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            LOG.errorf("cannot create topic %s: %s", topic.name(), e.getCause().getMessage());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
      LOG.errorf("cannot create Rebound's topics on %s: %s", bootstrapServers, e.toString());
    }
  }
}
