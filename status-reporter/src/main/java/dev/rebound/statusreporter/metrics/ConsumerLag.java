package dev.rebound.statusreporter.metrics;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The lag of one consumer group on one topic, read through Kafka's admin API as
 * {@code kafka-consumer-groups --describe} reads it: per partition, the log end offset minus the
 * group's committed offset. A partition the group never committed counts from the log's start
 * (the item-restorers read from the earliest offset), so items nobody consumed yet are lag too.
 */
public final class ConsumerLag {

  private final Admin admin;
  private final String group;
  private final String topic;
  private final Duration timeout;

  public ConsumerLag(Admin admin, String group, String topic, Duration timeout) {
    this.admin = admin;
    this.group = group;
    this.topic = topic;
    this.timeout = timeout;
  }

  /** Records of the topic the group has not committed yet, over every partition; 0 when the topic does not exist. */
  public long read() throws InterruptedException, ExecutionException, TimeoutException {
    TopicDescription description;
    try {
      description = admin.describeTopics(List.of(topic)).allTopicNames().get(millis(), TimeUnit.MILLISECONDS)
          .get(topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return 0; // no item was ever published
      }
      throw e;
    }
    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata().get(millis(), TimeUnit.MILLISECONDS);
    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    Map<TopicPartition, OffsetSpec> starts = new HashMap<>();
    description.partitions().forEach(p -> {
      TopicPartition tp = new TopicPartition(topic, p.partition());
      ends.put(tp, OffsetSpec.latest());
      if (committed.get(tp) == null) {
        starts.put(tp, OffsetSpec.earliest());
      }
    });
    Map<TopicPartition, ListOffsetsResultInfo> end = admin.listOffsets(ends).all()
        .get(millis(), TimeUnit.MILLISECONDS);
    Map<TopicPartition, ListOffsetsResultInfo> start = starts.isEmpty() ? Map.of()
        : admin.listOffsets(starts).all().get(millis(), TimeUnit.MILLISECONDS);
    long lag = 0;
    for (Map.Entry<TopicPartition, ListOffsetsResultInfo> e : end.entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      long from = c != null ? c.offset() : start.get(e.getKey()).offset();
      lag += Math.max(0, e.getValue().offset() - from);
    }
    return lag;
  }

  private long millis() {
    return timeout.toMillis();
  }
}
