package dev.rebound.support.events;

import dev.rebound.model.Topics;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.support.messaging.RestoreEventDeserializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads the restore event log ({@value Topics#RESTORE_EVENTS}) on a thread of its own, and keeps
 * following it. First it reads {@value Topics#RESTORE_SNAPSHOTS} to its end: the ended restores'
 * summaries go to {@link Handler#ended}, and each partition of the log is then read from its
 * checkpoint there (its first offset when there is none, or when retention deleted the checkpoint's
 * offset). No consumer group and no committed offsets: the state of every restore that has not
 * ended is rebuilt from the log at each start, so a process killed at any point loses nothing.
 * Events that were in the log when the reader started are marked as replayed; {@link Handler#caughtUp}
 * tells when the history has been read.
 */
public final class RestoreLogReader implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RestoreLogReader.class);

  /**
   * Where an event is in the log.
   *
   * @param replayed true for events appended before this reader started (history), false for new ones
   */
  public record Position(int partition, long offset, boolean replayed) {}

  /** Receives the events of every partition, in partition order, on the reader's thread. */
  public interface Handler {
    void event(RestoreEvent event, Position position);

    /**
     * A restore that ended and has a snapshot, with its summary (JSON), before any event; its
     * events in the log, if any, are still delivered and must be ignored.
     */
    default void ended(String restore, String summary) {}

    /**
     * What a deleted restore added to the restore metrics (JSON, keyed by its uid), after every
     * {@link #ended}: kept so that counters do not go down when a restore is deleted. A restore
     * whose summary was read too (deleted while a snapshot still named it) appears in both.
     */
    default void deleted(String uid, String contribution) {}

    /** The offset each partition is read from, after the snapshots and before any event. */
    default void started(Map<Integer, Long> offsets) {}

    /** Every event that was in the log when the reader started has been delivered (called once). */
    default void caughtUp() {}

    /**
     * Called on the reader's thread after every poll of the log (at least every 200 ms), once the
     * polled events are delivered: work that must not interleave with the fold runs here.
     */
    default void idle() {}
  }

  private final KafkaConsumer<String, RestoreEvent> consumer;
  private final String bootstrapServers;
  private final String clientId;
  private final Handler handler;
  private final Thread thread;
  private volatile boolean running = true;
  /** Per partition, the offset of the next event to deliver: every event before it has been delivered. */
  private final Map<Integer, Long> delivered = new java.util.concurrent.ConcurrentHashMap<>();

  public RestoreLogReader(String bootstrapServers, String clientId, Handler handler) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new RestoreEventDeserializer());
    this.handler = handler;
    this.bootstrapServers = bootstrapServers;
    this.clientId = clientId;
    this.thread = new Thread(this::run, clientId + "-restore-log");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    try {
      List<TopicPartition> partitions = awaitPartitions(Topics.RESTORE_EVENTS);
      long began = System.nanoTime();
      int[] ended = new int[1];
      Map<Integer, Long> checkpoints;
      try (KafkaConsumer<String, String> snapshots = RestoreSnapshots.consumer(bootstrapServers, clientId)) {
        checkpoints = RestoreSnapshots.read(snapshots, awaitPartitionInfos(snapshots, Topics.RESTORE_SNAPSHOTS),
            (restore, summary) -> {
              ended[0]++;
              handler.ended(restore, summary);
            }, handler::deleted);
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> first = consumer.beginningOffsets(partitions);
      Map<Integer, Long> starts = new java.util.TreeMap<>();
      for (TopicPartition p : partitions) {
        long start = Math.max(first.get(p), checkpoints.getOrDefault(p.partition(), 0L));
        consumer.seek(p, start);
        starts.put(p.partition(), start);
        delivered.put(p.partition(), start);
      }
      LOG.infof("read %d ended restores from %s in %d ms; reading %s from offsets %s", ended[0],
          Topics.RESTORE_SNAPSHOTS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), Topics.RESTORE_EVENTS,
          starts);
      handler.started(starts);
      Map<TopicPartition, Long> history = new HashMap<>(consumer.endOffsets(partitions));
      Set<TopicPartition> pending = new HashSet<>(partitions);
      while (running) {
        if (!pending.isEmpty()) {
          pending.removeIf(p -> consumer.position(p) >= history.get(p));
          if (pending.isEmpty()) {
            handler.caughtUp();
          }
        }
        try {
          for (ConsumerRecord<String, RestoreEvent> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.value() != null) {
              TopicPartition tp = new TopicPartition(record.topic(), record.partition());
              deliver(record.value(), new Position(record.partition(), record.offset(),
                  record.offset() < history.get(tp)));
            }
            delivered.put(record.partition(), record.offset() + 1);
          }
          for (TopicPartition p : partitions) {
            delivered.put(p.partition(), consumer.position(p));
          }
          try {
            handler.idle();
          } catch (RuntimeException e) {
            LOG.error("failure in the restore log handler between polls", e);
          }
        } catch (RecordDeserializationException e) {
          // An unreadable event (a newer writer, a corrupt record): logged and passed over.
          LOG.errorf("skipping unreadable restore event at %s offset %d: %s", e.topicPartition(), e.offset(), e.getMessage());
          consumer.seek(e.topicPartition(), e.offset() + 1);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("restore event log reader stopped", e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  /**
   * The offset up to which a partition has been delivered: every event before it has been handed to
   * the handler; -1 before the reader has read the partition.
   */
  public long delivered(int partition) {
    return delivered.getOrDefault(partition, -1L);
  }

  private void deliver(RestoreEvent event, Position position) {
    try {
      handler.event(event, position);
    } catch (RuntimeException e) {
      LOG.errorf(e, "failure handling %s of restore %s", event.getClass().getSimpleName(), event.restore());
    }
  }

  /** The topic may not exist yet (the first service to start creates it): wait for it. */
  private List<TopicPartition> awaitPartitions(String topic) {
    return awaitPartitionInfos(consumer, topic).stream().map(i -> new TopicPartition(i.topic(), i.partition()))
        .toList();
  }

  private List<PartitionInfo> awaitPartitionInfos(KafkaConsumer<?, ?> client, String topic) {
    return TopicReads.awaitPartitions(client, topic, () -> running);
  }

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
