package dev.rebound.itemrestorer.messaging;

import dev.rebound.model.Json;
import dev.rebound.model.Topics;
import dev.rebound.model.pipeline.RestoreCancel;
import dev.rebound.support.events.TopicReads;
import dev.rebound.support.settings.ServiceSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The restores canceled while they ran, read whole from {@link Topics#RESTORE_CANCELS} (compacted,
 * small: one record per canceled restore until it is deleted) by every item-restorer on its own,
 * without a consumer group. An item of a canceled restore is not restored: it gets a result without
 * a record, so that its wave completes and the coordinator can end the restore {@code Canceled}
 * (DESIGN, "Cancel"). The coordinator ends a canceled restore only once every item it published has
 * a result, so an item this reader has not yet learnt about is restored and reported before that
 * end, never after it.
 */
@ApplicationScoped
public class CanceledRestores {

  private static final Logger LOG = Logger.getLogger(CanceledRestores.class);

  /** Canceled restores' uids, to their names. */
  private final Map<String, String> canceled = new ConcurrentHashMap<>();
  private final String bootstrapServers;
  private final ServiceSettings settings;
  private volatile KafkaConsumer<String, String> consumer;
  private volatile boolean running = true;

  CanceledRestores(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      ServiceSettings settings) {
    this.bootstrapServers = bootstrapServers;
    this.settings = settings;
  }

  /** Whether the restore with this uid was canceled (as far as this instance has read). */
  public boolean canceled(String uid) {
    return uid != null && canceled.containsKey(uid);
  }

  void start(@Observes StartupEvent event) {
    settings.oncePassed("kafka", () -> {
      Thread reader = new Thread(this::read, "canceled-restores");
      reader.setDaemon(true);
      reader.start();
    });
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    KafkaConsumer<String, String> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  private void read() {
    try (KafkaConsumer<String, String> c = TopicReads.stringConsumer(bootstrapServers,
        "item-restorer-canceled-restores", 500)) {
      consumer = c;
      if (!running) {
        return;
      }
      List<TopicPartition> partitions = TopicReads.awaitPartitions(c, Topics.RESTORE_CANCELS, () -> running).stream()
          .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      while (running) {
        for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(100))) {
          apply(record.key(), record.value());
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("the reader of canceled restores stopped: items of restores canceled from now on are restored "
          + "until their restore ends", e);
    }
  }

  /** One record: a fence (its uid is canceled) or a tombstone (the restore was deleted). */
  void apply(String uid, String value) {
    if (uid == null) {
      return;
    }
    if (value == null) {
      canceled.remove(uid);
      return;
    }
    try {
      RestoreCancel cancel = Json.mapper().readValue(value, RestoreCancel.class);
      if (canceled.put(uid, cancel.restore()) == null) {
        LOG.infof("restore %s (uid %s) was canceled: its items not restored yet are skipped", cancel.restore(), uid);
      }
    } catch (java.io.IOException | RuntimeException e) {
      LOG.errorf("skipping an unreadable record of %s (key %s): %s", Topics.RESTORE_CANCELS, uid, e.getMessage());
    }
  }

}
