package dev.rebound.e2e;

import dev.rebound.model.Json;
import dev.rebound.model.Topics;
import dev.rebound.model.pipeline.RestoreEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * One restore's events in {@code rebound.restore-events}, read from its partition only and from an
 * offset taken before it was submitted: cheap however long the log of earlier restores is (the kill
 * matrix runs scores of 10,000-item restores on one broker).
 */
final class RestoreLogSlice {

  private final String bootstrapServers;
  final String restore;
  final int partition;
  final long from;

  private RestoreLogSlice(String bootstrapServers, String restore, int partition, long from) {
    this.bootstrapServers = bootstrapServers;
    this.restore = restore;
    this.partition = partition;
    this.from = from;
  }

  /** Marks where the restore's events will start: call before submitting it. */
  static RestoreLogSlice before(String bootstrapServers, String restore) {
    try (var consumer = consumer(bootstrapServers)) {
      int partitions = consumer.partitionsFor(Topics.RESTORE_EVENTS, Duration.ofSeconds(10)).size();
      // The producer's default partitioner for a keyed record: murmur2 of the key.
      int partition = Utils.toPositive(Utils.murmur2(restore.getBytes(StandardCharsets.UTF_8))) % partitions;
      TopicPartition tp = new TopicPartition(Topics.RESTORE_EVENTS, partition);
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      return new RestoreLogSlice(bootstrapServers, restore, partition, end);
    }
  }

  /** The restore's events so far, in log order. */
  List<RestoreEvent> events() {
    List<RestoreEvent> events = new ArrayList<>();
    try (var consumer = consumer(bootstrapServers)) {
      TopicPartition tp = new TopicPartition(Topics.RESTORE_EVENTS, partition);
      consumer.assign(List.of(tp));
      consumer.seek(tp, from);
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      while (consumer.position(tp) < end) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          RestoreEvent event = eventOf(r);
          if (event != null) {
            events.add(event);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return events;
  }

  /** Follows the log as it grows; see {@link Progress#itemsReported()}. */
  Progress follow() {
    return new Progress();
  }

  /**
   * The restore's progress as its workers report it, read from the log itself: ahead of the status
   * (which the status-reporter folds from this log), so "N items restored" here means the N-th result
   * has been written, not that a poll of the status has caught up with it.
   */
  final class Progress implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers);
    private final Set<String> reported = new HashSet<>();

    private Progress() {
      TopicPartition tp = new TopicPartition(Topics.RESTORE_EVENTS, partition);
      consumer.assign(List.of(tp));
      consumer.seek(tp, from);
    }

    /** How many distinct items have a result in the log so far (reads what was added since the last call). */
    int itemsReported() {
      try {
        ConsumerRecords<String, byte[]> records;
        do {
          records = consumer.poll(Duration.ofMillis(100));
          for (ConsumerRecord<String, byte[]> r : records) {
            if (eventOf(r) instanceof RestoreEvent.ItemRestored i) {
              reported.add(i.cluster() + "/" + i.key());
            }
          }
        } while (!records.isEmpty());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return reported.size();
    }

    @Override
    public void close() {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** The record's event if it is this restore's, else null. */
  private RestoreEvent eventOf(ConsumerRecord<String, byte[]> r) throws IOException {
    return restore.equals(r.key()) && r.value() != null ? Json.mapper().readValue(r.value(), RestoreEvent.class) : null;
  }

  private static KafkaConsumer<String, byte[]> consumer(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Item keys with more than one result, each with the workers that reported it, in order. */
  static Map<String, List<String>> redelivered(List<RestoreEvent> events) {
    Map<String, List<String>> workers = new java.util.LinkedHashMap<>();
    for (RestoreEvent e : events) {
      if (e instanceof RestoreEvent.ItemRestored r) {
        workers.computeIfAbsent(r.cluster() + "/" + r.key(), k -> new ArrayList<>()).add(r.worker());
      }
    }
    workers.values().removeIf(w -> w.size() < 2);
    return workers;
  }
}
