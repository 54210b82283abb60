package dev.rebound.support.events;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * Ownership of a topic's partitions among the instances of one service, through a Kafka consumer
 * group: every partition is owned by exactly one live member of the group, and moves to another
 * when its owner leaves or stops heart-beating for the session timeout. The lease reads no record
 * (its partitions stay paused); it only holds the membership. With the eager range assignor a
 * partition is released by its old owner before any member gets it, so two live members never own
 * one partition at once; a member that stopped heart-beating without knowing it (a long pause) can
 * act until it polls again, and learns then that its partitions were lost.
 */
public final class PartitionLease implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PartitionLease.class);
  /** An owner that stops is replaced after this long. */
  public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

  /** Called on the lease's thread; implementations hand the work to their own thread. */
  public interface Listener {
    /**
     * @param endOffsets per partition now owned, the log's end offset when it was assigned: the
     *     previous owner appended nothing after it, so once the owner's reader has delivered up
     *     to it, the owner knows everything its predecessor did
     */
    void acquired(Map<Integer, Long> endOffsets);

    /** The partitions are no longer this instance's: it must stop acting on them. */
    void released(Set<Integer> partitions);
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final Listener listener;
  private final Thread thread;
  private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
  private volatile boolean running = true;

  public PartitionLease(String bootstrapServers, String group, String clientId, String topic, Listener listener) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-lease");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(SESSION_TIMEOUT.toMillis()));
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
    // A topic created after the subscription (the first start of all) is seen within 5 s, not 5 min.
    props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.listener = listener;
    this.thread = new Thread(this::run, clientId + "-lease");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** The partitions this instance owns now. */
  public Set<Integer> owned() {
    return Set.copyOf(owned);
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          release(partitions, "released");
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
          release(partitions, "lost");
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          if (partitions.isEmpty()) {
            return;
          }
          consumer.pause(partitions);
          Map<Integer, Long> ends = new HashMap<>();
          consumer.endOffsets(partitions).forEach((tp, end) -> ends.put(tp.partition(), end));
          owned.addAll(ends.keySet());
          LOG.infof("%s: now owning partitions %s", topic, ends.keySet());
          listener.acquired(ends);
        }
      });
      while (running) {
        consumer.poll(Duration.ofMillis(500));
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("partition lease stopped", e);
      release(consumer.assignment(), "lost");
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void release(Collection<TopicPartition> partitions, String how) {
    if (partitions.isEmpty()) {
      return;
    }
    Set<Integer> numbers = new java.util.HashSet<>();
    partitions.forEach(tp -> numbers.add(tp.partition()));
    owned.removeAll(numbers);
    LOG.infof("%s: partitions %s %s", topic, numbers, how);
    listener.released(numbers);
  }

  /** Leaves the group: the partitions move to the other members at once, not after the session timeout. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
