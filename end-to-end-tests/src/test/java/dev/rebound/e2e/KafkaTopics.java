package dev.rebound.e2e;

import dev.rebound.model.Json;
import dev.rebound.model.Topics;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.support.payload.ItemTaskSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What a test does on the real broker directly: topics, records in Rebound's JSON, the restore log. */
final class KafkaTopics {

  private final String bootstrapServers;

  KafkaTopics(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  void create(String topic, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
  }

  /** Appends one record whose value is {@code value} in Rebound's JSON; waits for the broker's acknowledgement. */
  void send(String topic, String key, Object value) throws Exception {
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrapServers),
        new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key, Json.mapper().writeValueAsBytes(value))).get(30, TimeUnit.SECONDS);
    }
  }

  /** Publishes an item task as the coordinator does: sealed with {@code payloadKey}, its item named in headers. */
  void sendTask(String topic, ItemTask task, String payloadKey) throws Exception {
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrapServers),
        new StringSerializer(), new ItemTaskSerializer(payloadKey))) {
      producer.send(new ProducerRecord<>(topic, task.recordKey(), task)).get(30, TimeUnit.SECONDS);
    }
  }

  /** Appends one record of raw bytes with these headers; waits for the broker's acknowledgement. */
  void sendRaw(String topic, String key, byte[] value, org.apache.kafka.common.header.Headers headers)
      throws Exception {
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrapServers),
        new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, null, key, value, headers)).get(30, TimeUnit.SECONDS);
    }
  }

  /** How many records a topic holds now (end minus start offsets; no compaction on Rebound's topics). */
  long recordCount(String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions);
      return consumer.endOffsets(partitions).entrySet().stream().mapToLong(e -> e.getValue() - start.get(e.getKey()))
          .sum();
    }
  }

  /** Every topic on the broker, Kafka's internal ones included. */
  Set<String> topics() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      return admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * The topics in which some record holds {@code needle} in its key, value or a header value, each
   * read from its first offset to its end as raw bytes, as kafka-console-consumer prints them.
   */
  Set<String> topicsContaining(byte[] needle) throws Exception {
    Set<String> found = new TreeSet<>();
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      for (String topic : topics()) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            boolean inHeaders = java.util.stream.StreamSupport.stream(r.headers().spliterator(), false)
                .anyMatch(h -> contains(h.value(), needle));
            if (contains(r.key(), needle) || contains(r.value(), needle) || inHeaders) {
              found.add(topic);
            }
          }
        }
      }
    }
    return found;
  }

  /** Whether {@code needle} occurs in {@code haystack}. */
  static boolean contains(byte[] haystack, byte[] needle) {
    if (haystack == null) {
      return false;
    }
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Every event of one restore in the restore log, in order per partition (a restore's events share one). */
  List<RestoreEvent> events(String restore) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<RestoreEvent> events = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.RESTORE_EVENTS, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (restore.equals(r.key())) {
            events.add(Json.mapper().readValue(r.value(), RestoreEvent.class));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return events;
  }

  /** Where the first {@code Submitted} of each restore is in the restore log: name to {partition, offset}. */
  Map<String, long[]> submitted(java.util.Collection<String> restores) {
    Map<String, long[]> found = new java.util.HashMap<>();
    readAll(Topics.RESTORE_EVENTS, r -> {
      if (restores.contains(r.key()) && !found.containsKey(r.key()) && r.value() != null
          && new String(r.value(), java.nio.charset.StandardCharsets.UTF_8).contains("\"type\":\"Submitted\"")) {
        found.put(r.key(), new long[] {r.partition(), r.offset()});
      }
    });
    return found;
  }

  /** The last value of every key of {@code rebound.restore-snapshots}. */
  Map<String, String> snapshots() {
    Map<String, String> last = new java.util.HashMap<>();
    readAll(Topics.RESTORE_SNAPSHOTS, r -> last.put(r.key(),
        r.value() == null ? null : new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)));
    return last;
  }

  private void readAll(String topic, java.util.function.Consumer<ConsumerRecord<String, byte[]>> each) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(500)).forEach(each);
      }
    }
  }

  /** How many members of a consumer group have partitions assigned now. */
  int membersWithPartitions(String group) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      var description = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
      return (int) description.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
    }
  }

  /** Whether the consumer group has ever committed an offset or has members now. */
  boolean groupActive(String group) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      if (admin.listGroups().all().get(30, TimeUnit.SECONDS).stream().noneMatch(g -> g.groupId().equals(group))) {
        return false;
      }
      var offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      var description = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
      return !offsets.isEmpty() || !description.members().isEmpty();
    }
  }
}
