package dev.rebound.support.events;

import dev.rebound.model.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The compacted topic {@value Topics#RESTORE_SNAPSHOTS}: key {@code <restore>} holds an ended
 * restore's summary (JSON, written by the status-reporter), key {@value #CHECKPOINT_PREFIX}{@code <partition>}
 * the offset from which that partition of {@value Topics#RESTORE_EVENTS} must be read.
 */
public final class RestoreSnapshots implements AutoCloseable {

  public static final String CHECKPOINT_PREFIX = "__checkpoint/";
  /** Key prefix of a deleted restore's share of the restore metrics, by its uid. */
  public static final String DELETED_PREFIX = "__deleted/";
  private static final Logger LOG = Logger.getLogger(RestoreSnapshots.class);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaProducer<String, String> producer;

  /** A writer (the status-reporter's). */
  public RestoreSnapshots(String bootstrapServers, String clientId) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-snapshots");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(8 * 1024 * 1024));
    producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  /** Writes an ended restore's summary and waits for the broker's acknowledgement. */
  public void summary(String restore, String json) {
    send(restore, json);
  }

  /**
   * Writes ended restores' summaries (name to JSON; a null value deletes the name's summary) at
   * once, and waits until the broker acknowledged each.
   */
  public void summaries(Map<String, String> summaries) {
    List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
    summaries.forEach((key, json) -> sent.add(producer.send(new ProducerRecord<>(Topics.RESTORE_SNAPSHOTS,
        key, json))));
    for (var ack : sent) {
      await(ack, summaries.size() + " summaries");
    }
  }

  /**
   * Writes deleted restores' shares of the restore metrics (uid to JSON, under
   * {@value #DELETED_PREFIX}{@code <uid>}) and waits until the broker acknowledged each.
   */
  public void deletions(Map<String, String> shares) {
    Map<String, String> keyed = new java.util.LinkedHashMap<>();
    shares.forEach((uid, json) -> keyed.put(DELETED_PREFIX + uid, json));
    summaries(keyed);
  }

  /** Writes a partition's checkpoint and waits for the broker's acknowledgement. */
  public void checkpoint(int partition, long offset) {
    send(CHECKPOINT_PREFIX + partition, Long.toString(offset));
  }

  private void send(String key, String value) {
    await(producer.send(new ProducerRecord<>(Topics.RESTORE_SNAPSHOTS, key, value)), key);
  }

  private static void await(java.util.concurrent.Future<?> ack, String key) {
    try {
      ack.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing " + key + " to " + Topics.RESTORE_SNAPSHOTS, e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("the broker did not acknowledge " + key + " on " + Topics.RESTORE_SNAPSHOTS
          + " within " + ACK_TIMEOUT.toSeconds() + "s: " + cause, cause);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(2));
  }

  /**
   * Reads the whole topic to its end (a plain assigned consumer, from the beginning): hands each
   * ended restore's summary to {@code ended}, then each deleted restore's share of the metrics to
   * {@code deleted}, and returns the checkpoints by partition. The last value of a key wins; a
   * deleted key (null value) is forgotten.
   *
   * @param partitions the topic's partitions, as the broker lists them
   */
  static Map<Integer, Long> read(Consumer<String, String> consumer, List<PartitionInfo> partitions,
      BiConsumer<String, String> ended, BiConsumer<String, String> deleted) {
    List<TopicPartition> assigned = partitions.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    consumer.assign(assigned);
    consumer.seekToBeginning(assigned);
    Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
    Map<String, String> summaries = new HashMap<>();
    Map<String, String> deletions = new HashMap<>();
    Map<Integer, Long> checkpoints = new HashMap<>();
    while (assigned.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
        if (r.key() == null) {
          continue;
        }
        if (r.key().startsWith(CHECKPOINT_PREFIX)) {
          try {
            int partition = Integer.parseInt(r.key().substring(CHECKPOINT_PREFIX.length()));
            if (r.value() == null) {
              checkpoints.remove(partition);
            } else {
              checkpoints.put(partition, Long.parseLong(r.value()));
            }
          } catch (NumberFormatException e) {
            // Not ours: the partition is read from an older checkpoint, or from its first offset.
            LOG.errorf("ignoring unreadable checkpoint %s=%s at %s offset %d", r.key(), r.value(),
                Topics.RESTORE_SNAPSHOTS, r.offset());
          }
        } else if (r.key().startsWith(DELETED_PREFIX)) {
          String uid = r.key().substring(DELETED_PREFIX.length());
          if (r.value() == null) {
            deletions.remove(uid);
          } else {
            deletions.put(uid, r.value());
          }
        } else if (r.value() == null) {
          summaries.remove(r.key());
        } else {
          summaries.put(r.key(), r.value());
        }
      }
    }
    // A handler that fails on one record must not cost the reader the others (nor its thread).
    summaries.forEach((restore, json) -> handle(ended, restore, json, "the snapshot of restore " + restore));
    deletions.forEach((uid, json) -> handle(deleted, uid, json, "the counts of deleted restore " + uid));
    return checkpoints;
  }

  private static void handle(BiConsumer<String, String> handler, String key, String json, String what) {
    try {
      handler.accept(key, json);
    } catch (RuntimeException e) {
      LOG.errorf(e, "failure handling %s from %s, skipped", what, Topics.RESTORE_SNAPSHOTS);
    }
  }

  /** A plain consumer of the snapshot topic, no group, no committed offsets. */
  static KafkaConsumer<String, String> consumer(String bootstrapServers, String clientId) {
    return TopicReads.stringConsumer(bootstrapServers, clientId + "-snapshots", 5000);
  }
}
