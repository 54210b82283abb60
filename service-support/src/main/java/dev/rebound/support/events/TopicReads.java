package dev.rebound.support.events;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What Rebound's readers of a whole topic share (the restore log, the snapshots, the canceled
 * restores): a consumer without a group that starts at the beginning, and the wait for a topic the
 * first service to start has not created yet.
 */
public final class TopicReads {

  private TopicReads() {}

  /** A consumer of String keys and values that commits nothing and starts at the earliest offset. */
  public static KafkaConsumer<String, String> stringConsumer(String bootstrapServers, String clientId,
      int maxPollRecords) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(maxPollRecords));
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
  }

  /**
   * The topic's partitions, waiting (every 500 ms) while it does not exist yet.
   *
   * @throws WakeupException when {@code running} turns false or the thread is interrupted meanwhile
   */
  public static List<PartitionInfo> awaitPartitions(KafkaConsumer<?, ?> client, String topic, BooleanSupplier running) {
    while (running.getAsBoolean()) {
      List<PartitionInfo> infos = client.partitionsFor(topic, Duration.ofSeconds(10));
      if (infos != null && !infos.isEmpty()) {
        return infos;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WakeupException();
      }
    }
    throw new WakeupException();
  }
}
