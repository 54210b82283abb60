package dev.rebound.coordinator.pipeline;

import dev.rebound.model.Topics;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.PersistentVolumePatch;
import dev.rebound.model.pipeline.StoredPlan;
import dev.rebound.model.pipeline.VolumeHint.PersistentVolumeAction;
import dev.rebound.support.config.ServiceConfig;
import dev.rebound.support.payload.ItemTaskCodec;
import dev.rebound.support.payload.ItemTaskSerializer;
import dev.rebound.support.payload.PayloadCipher;
import dev.rebound.support.payload.UnreadablePayloadException;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The recorded plans on {@link Topics#RESTORE_PLANS}: a run's item tasks are written once, when it
 * is planned ({@link #record}), and each wave is read back from there when it is published
 * ({@link #read}), by whichever coordinator drives the run then. The tasks are sealed with the
 * payload key, as on the item topic.
 */
@ApplicationScoped
public class PlanStore {

  /** Tasks written and not yet acknowledged, at most. */
  static final int IN_FLIGHT = 2000;
  private static final Duration ACK_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

  private final String bootstrapServers;
  private final ServiceConfig service;
  private volatile KafkaProducer<String, ItemTask> producer;
  private volatile ItemTaskCodec codec;

  PlanStore(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, ServiceConfig service) {
    this.bootstrapServers = bootstrapServers;
    this.service = service;
  }

  void stop(@Observes ShutdownEvent event) {
    KafkaProducer<String, ItemTask> p = producer;
    if (p != null) {
      p.close(Duration.ofSeconds(5));
    }
  }

  /** Starts recording a run's plan under a new id. */
  Recording record(String restore, String cluster) {
    return new Recording(restore, cluster, UUID.randomUUID().toString());
  }

  /** One recording: tasks in any wave order, then {@link #finish}. Not thread-safe; one driver thread. */
  final class Recording {
    private final String restore;
    private final String cluster;
    private final String id;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    /** Per wave: partition, lowest and highest offset, count; written by the producer's thread. */
    private final Map<Integer, long[]> ranges = new HashMap<>();
    private final Map<Integer, List<StoredPlan.MissingItem>> missing = new HashMap<>();

    private Recording(String restore, String cluster, String id) {
      this.restore = restore;
      this.cluster = cluster;
      this.id = id;
    }

    void add(ItemTask task) throws IOException {
      Exception failed = failure.get();
      if (failed != null) {
        throw new PlanRecordException("cannot record the plan on " + Topics.RESTORE_PLANS + ": "
            + failed.getMessage(), failed);
      }
      inFlight.acquireUninterruptibly();
      int wave = task.wave();
      Callback acknowledged = (meta, e) -> {
        try {
          if (e != null) {
            failure.compareAndSet(null, e);
            return;
          }
          synchronized (ranges) {
            long[] r = ranges.computeIfAbsent(wave, w -> new long[] {meta.partition(), Long.MAX_VALUE, -1, 0});
            r[1] = Math.min(r[1], meta.offset());
            r[2] = Math.max(r[2], meta.offset());
            r[3]++;
          }
        } finally {
          inFlight.release();
        }
      };
      try {
        // Sealed and given its headers by the item topic's serializer.
        producer().send(new ProducerRecord<>(Topics.RESTORE_PLANS, key(wave), task), acknowledged);
      } catch (SerializationException e) {
        inFlight.release();
        throw new PlanRecordException("cannot record the plan on " + Topics.RESTORE_PLANS + ": " + e.getMessage(), e);
      }
    }

    void missing(int wave, ItemKey key, String groupResource) {
      missing.computeIfAbsent(wave, w -> new ArrayList<>()).add(new StoredPlan.MissingItem(key, groupResource));
    }

    private String key(int wave) {
      return restore + "/" + cluster + "/" + wave + "/" + id;
    }

    /** Waits for every task's acknowledgement; the plan as the Planned event carries it. */
    StoredPlan finish(int waves, Map<String, PersistentVolumeAction> persistentVolumes,
        List<PersistentVolumePatch> volumePatches) throws IOException {
      try {
        if (!inFlight.tryAcquire(IN_FLIGHT, ACK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          throw new PlanRecordException("cannot record the plan on " + Topics.RESTORE_PLANS
              + ": no acknowledgement within " + ACK_TIMEOUT.toSeconds() + "s");
        }
        inFlight.release(IN_FLIGHT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while recording the plan", e);
      }
      Exception failed = failure.get();
      if (failed != null) {
        throw new PlanRecordException("cannot record the plan on " + Topics.RESTORE_PLANS + ": "
            + failed.getMessage(), failed);
      }
      List<StoredPlan.WaveRecord> records = new ArrayList<>();
      synchronized (ranges) {
        for (int w = 0; w < waves; w++) {
          long[] r = ranges.get(w);
          records.add(r == null ? new StoredPlan.WaveRecord(w, 0, 0, -1, 0, missing.get(w))
              : new StoredPlan.WaveRecord(w, (int) r[0], r[1], r[2], (int) r[3], missing.get(w)));
        }
      }
      return new StoredPlan(id, records, persistentVolumes, volumePatches);
    }
  }

  /**
   * Hands over every recorded task of one wave.
   *
   * @throws IOException when the wave's tasks are not all on the topic any more (its retention
   *     passed) or cannot be read
   */
  void read(StoredPlan plan, String restore, String cluster, int wave, Consumer<ItemTask> sink) throws IOException {
    StoredPlan.WaveRecord record = plan.wave(wave);
    if (record.count() == 0) {
      return;
    }
    String key = plan.key(restore, cluster, wave);
    TopicPartition tp = new TopicPartition(Topics.RESTORE_PLANS, record.partition());
    Set<ItemKey> seen = new HashSet<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      readRange(consumer, tp, record, key, restore, cluster, wave, seen, sink);
    } catch (KafkaException e) {
      throw new PlanRecordException(lost(restore, cluster, wave, e.getMessage()), e);
    }
    if (seen.size() < record.count()) {
      throw new PlanRecordException(lost(restore, cluster, wave, "found " + seen.size() + " of its " + record.count()
          + " tasks"));
    }
  }

  private void readRange(KafkaConsumer<String, byte[]> consumer, TopicPartition tp, StoredPlan.WaveRecord record,
      String key, String restore, String cluster, int wave, Set<ItemKey> seen, Consumer<ItemTask> sink)
      throws IOException {
    consumer.assign(List.of(tp));
    long start = consumer.beginningOffsets(List.of(tp)).get(tp);
    if (start > record.from()) {
      throw new PlanRecordException(lost(restore, cluster, wave, "the topic starts at offset " + start + " of partition "
          + record.partition() + ", after the wave's first task at " + record.from()));
    }
    consumer.seek(tp, record.from());
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (consumer.position(tp) <= record.to()) {
      if (System.nanoTime() > deadline) {
        throw new PlanRecordException(lost(restore, cluster, wave, "nothing could be read at offset "
            + consumer.position(tp) + " of partition " + record.partition() + " for " + READ_TIMEOUT.toSeconds() + "s"));
      }
      var records = consumer.poll(Duration.ofMillis(500));
      if (!records.isEmpty()) {
        deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      }
      for (ConsumerRecord<String, byte[]> r : records) {
        if (r.offset() > record.to() || !key.equals(r.key())) {
          continue;
        }
        ItemTask task;
        try {
          task = codec().decode(Topics.RESTORE_PLANS, r.value());
        } catch (UnreadablePayloadException e) {
          throw new PlanRecordException("cannot read the recorded plan of restore " + restore + " at offset " + r.offset()
              + " of " + tp + ": " + e.getMessage(), e);
        }
        if (seen.add(task.key())) {
          sink.accept(task);
        }
      }
    }
  }

  /** A recorded plan that cannot be written or read back: the run ends with this message as it is. */
  static final class PlanRecordException extends IOException {
    PlanRecordException(String message, Throwable cause) {
      super(message, cause);
    }

    PlanRecordException(String message) {
      super(message);
    }
  }

  private static String lost(String restore, String cluster, int wave, String why) {
    return "the recorded plan of restore " + restore + " in cluster " + cluster + ", wave " + wave + ", is no longer "
        + "complete on " + Topics.RESTORE_PLANS + " (" + why + ")";
  }

  private ItemTaskCodec codec() {
    ItemTaskCodec c = codec;
    if (c == null) {
      // The payload key settings check passed before any restore is driven.
      c = new ItemTaskCodec(PayloadCipher.fromBase64(service.payloadKey().orElse(null)));
      codec = c;
    }
    return c;
  }

  private KafkaProducer<String, ItemTask> producer() {
    KafkaProducer<String, ItemTask> p = producer;
    if (p == null) {
      synchronized (this) {
        if (producer == null) {
          Properties props = new Properties();
          props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
          props.put(ProducerConfig.CLIENT_ID_CONFIG, "restore-coordinator-plans");
          props.put(ProducerConfig.ACKS_CONFIG, "all");
          props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
          props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
          props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
          props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
          props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(8 * 1024 * 1024));
          producer = new KafkaProducer<>(props, new StringSerializer(),
              new ItemTaskSerializer(service.payloadKey().orElse("")));
        }
        p = producer;
      }
    }
    return p;
  }

  private KafkaConsumer<String, byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "restore-coordinator-plan-reader");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
