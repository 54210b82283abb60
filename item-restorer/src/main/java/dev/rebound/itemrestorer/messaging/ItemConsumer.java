package dev.rebound.itemrestorer.messaging;

import dev.rebound.itemrestorer.config.ItemRestorerConfig;
import dev.rebound.itemrestorer.actions.RestoreItemActions;
import dev.rebound.itemrestorer.kube.ClusterLookups;
import dev.rebound.itemrestorer.kube.Interruption;
import dev.rebound.itemrestorer.kube.KubeApi;
import dev.rebound.itemrestorer.kube.Retrying;
import dev.rebound.itemrestorer.metrics.ItemMetrics;
import dev.rebound.itemrestorer.restore.ItemRestore;
import dev.rebound.itemrestorer.snapshots.VolumeSnapshotters;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.RestoreContext;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.Result;
import dev.rebound.support.kube.TargetClusters;
import dev.rebound.support.messaging.Channels;
import dev.rebound.support.config.ServiceConfig;
import dev.rebound.support.messaging.HeartbeatPublisher;
import dev.rebound.support.payload.ItemTaskCodec;
import dev.rebound.support.payload.ItemTaskHeaders;
import dev.rebound.support.payload.PayloadCipher;
import dev.rebound.support.payload.UnreadablePayloadException;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Consumes {@link ItemTask}s (topic {@code rebound.restore-items}, consumer group shared by every
 * item-restorer), restores each into its cluster in that cluster's lane ({@link ItemLanes}: at
 * most {@code max-concurrency-per-cluster} items at a time per cluster, on the lane's own threads),
 * and appends the result to {@code rebound.restore-events}, without waiting for the broker on the
 * lane's thread. The offset of an item is committed only after its result is
 * acknowledged by the broker: an instance killed in between leaves the item to be delivered again,
 * and {@link ItemRestore} makes the second delivery count once.
 *
 * <p>Each task is opened with {@code rebound.service.payload-key}. A record that cannot be decoded
 * (not sealed, another key or topic, not an item task) still names its item in its headers: it
 * becomes the item's FAILED result, so its wave completes, and a copy goes to the dead-letter
 * topic ({@link DeadLetters}); its offset is committed once both are acknowledged.
 */
@ApplicationScoped
public class ItemConsumer {

  private static final Logger LOG = Logger.getLogger(ItemConsumer.class);

  private final TargetClusters clusters;
  private final ItemRestorerConfig config;
  private final MutinyEmitter<RestoreEvent> events;
  private final ItemMetrics metrics;
  private final String worker;
  private final DeadLetters deadLetters;
  private final Optional<ItemTaskCodec> codec;
  private final CanceledRestores canceled;
  /** Per target cluster: its restorer, and the retrying its calls share. */
  private record ClusterWork(ItemRestore restorer, ItemRestore dryRun, Retrying retrying) {}

  private final Map<String, ClusterWork> work = new ConcurrentHashMap<>();
  private final ItemLanes lanes;
  private volatile boolean stopping;

  ItemConsumer(TargetClusters clusters, ItemRestorerConfig config, ServiceConfig service, HeartbeatPublisher heartbeat,
      ItemMetrics metrics, DeadLetters deadLetters, CanceledRestores canceled,
      @Channel(Channels.RESTORE_EVENTS_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
      MutinyEmitter<RestoreEvent> events) {
    this.clusters = clusters;
    this.config = config;
    this.events = events;
    this.metrics = metrics;
    this.worker = heartbeat.current().instance();
    this.deadLetters = deadLetters;
    this.canceled = canceled;
    this.lanes = new ItemLanes(config.maxConcurrencyPerCluster(), config.buffer().maxItems(),
        config.buffer().maxBytes().asLongValue());
    // An unusable key takes no item (PayloadKeySettingsCheck keeps the channel paused).
    Optional<ItemTaskCodec> built;
    try {
      built = Optional.of(new ItemTaskCodec(PayloadCipher.fromBase64(service.payloadKey().orElse(null))));
    } catch (IllegalArgumentException e) {
      built = Optional.empty();
    }
    this.codec = built;
  }

  /**
   * Takes a record from the topic into its cluster's lane (the cluster its headers name) and
   * answers at once, or, when the lanes hold as many items as they may, once some have finished:
   * the channel hands over the next record only then. The record is acknowledged (so its offset
   * may be committed) when the broker has acknowledged its item's result; an item never finished
   * (shutdown, a revoked partition) is never acknowledged and is delivered again.
   */
  @Incoming(Channels.RESTORE_ITEMS_IN)
  @Acknowledgment(Acknowledgment.Strategy.MANUAL)
  public CompletionStage<Void> take(Message<byte[]> message) {
    @SuppressWarnings("unchecked")
    ConsumerRecord<String, byte[]> record = message.getMetadata(IncomingKafkaRecordMetadata.class)
        .map(m -> (ConsumerRecord<String, byte[]>) m.getRecord())
        .orElseThrow(() -> new IllegalStateException("not a Kafka record: " + message));
    String cluster = ItemTaskHeaders.read(record.headers()).map(ItemTaskHeaders.Identity::cluster).orElse("");
    long size = record.value() == null ? 0 : record.value().length;
    return lanes.submit(cluster, new TopicPartition(record.topic(), record.partition()), size, () -> {
      try {
        return restore(message, record);
      } catch (RuntimeException e) {
        // A bug, not an item's outcome: the record fails (fail-stop, as an exception thrown by a
        // consumer method does), rather than stay unacknowledged and hold its partition's commits.
        LOG.errorf(e, "unexpected failure taking record %s-%d@%d", record.topic(), record.partition(), record.offset());
        return message.nack(e);
      }
    });
  }

  /** Restores the record's item on its lane's thread; the answer completes when its result is acknowledged. */
  private CompletionStage<?> restore(Message<byte[]> message, ConsumerRecord<String, byte[]> record) {
    ItemTask task;
    try {
      task = codec.orElseThrow(() -> new UnreadablePayloadException("rebound.service.payload-key is not usable"))
          .decode(record.topic(), record.value());
    } catch (UnreadablePayloadException e) {
      return acknowledged(message, undecodable(record, e.getMessage()));
    }
    RestoreEvent.ItemRestored result;
    boolean skipped = false;
    try {
      result = restoreWithinLimit(task);
    } catch (CanceledItem e) {
      result = canceledResult(task);
      skipped = true;
    } catch (Interruption e) {
      // Shutting down: no result is sent and the record is not acknowledged, so its offset stays
      // uncommitted and the item is delivered again.
      return CompletableFuture.completedFuture(null);
    }
    if (!result.errors().isEmpty()) {
      LOG.warnf("restore %s, cluster %s: %s", task.restore(), task.cluster(), String.join("; ", result.errors().messages()));
    }
    boolean canceledItem = skipped;
    RestoreEvent.ItemRestored sent = result;
    // Not awaited here: the lane's thread goes on to its next item while the producer batches results.
    CompletableFuture<Void> reported = events.sendMessage(KafkaRecord.of(task.restore(), result))
        .subscribeAsCompletionStage().thenRun(() -> {
          if (canceledItem) {
            metrics.canceled(task.cluster());
          } else {
            metrics.restored(task.cluster(), sent.action());
          }
        });
    return acknowledged(message, reported);
  }

  /** Acknowledges the record once {@code sent} completes; a failed send fails the record (and the channel, fail-stop). */
  private static CompletionStage<?> acknowledged(Message<byte[]> message, CompletionStage<Void> sent) {
    return sent.handle((ok, failure) -> failure == null ? message.ack() : message.nack(failure))
        .thenCompose(ack -> ack);
  }

  /** The group took these partitions: their items not yet started are left to their next owner. */
  void revoked(java.util.Collection<TopicPartition> partitions) {
    int dropped = lanes.revoke(partitions);
    if (dropped > 0) {
      LOG.infof("partitions %s revoked: %d items not yet started left for redelivery", partitions, dropped);
    }
  }

  /**
   * Shutting down: no item is taken from now on, the queued ones are dropped and those under way
   * are interrupted (a wait for a cluster that is down would hold the shutdown for up to the outage
   * timeout); none reports a result from now on, not even one whose step failed because the
   * cluster's client was closed under it: they are delivered again.
   */
  void stop(@Observes ShutdownEvent event) {
    stopping = true;
    lanes.shutdownNow();
  }

  private RestoreEvent.ItemRestored restoreWithinLimit(ItemTask task) {
    try {
      if (stopping) {
        throw new Interruption("shutting down before restoring " + task.resourceId());
      }
      RestoreEvent.ItemRestored result = restoreInCluster(task);
      if (stopping) {
        throw new Interruption("shutting down while restoring " + task.resourceId());
      }
      return result;
    } catch (Interruption e) {
      LOG.infof("restore %s, cluster %s: %s; left for redelivery", task.restore(), task.cluster(), e.getMessage());
      throw e;
    }
  }

  private RestoreEvent.ItemRestored restoreInCluster(ItemTask task) {
    ClusterWork cluster;
    try {
      cluster = work.computeIfAbsent(task.cluster(), this::clusterWork);
    } catch (IllegalArgumentException e) {
      return failed(task, e.getMessage());
    }
    if (canceled.canceled(task.context().uid())) {
      // Checked when the item starts (it may have waited in its lane): a canceled restore's item is
      // not restored; its result has no record, so its wave completes and the restore can end.
      throw new CanceledItem();
    }
    try (Retrying.ItemScope outage = cluster.retrying().item(Duration.ofMillis(task.context().outageTimeout()))) {
      RestoreEvent.ItemRestored result = (task.context().dryRun() ? cluster.dryRun() : cluster.restorer()).restore(task);
      if (Thread.currentThread().isInterrupted()) {
        // A step that swallowed the interruption into an error: the outcome is not the item's own.
        throw new Interruption("interrupted while restoring " + task.resourceId());
      }
      return result;
    } catch (Interruption e) {
      throw e;
    } catch (RuntimeException e) {
      if (stopping) {
        throw new Interruption("shutting down while restoring " + task.resourceId() + ": " + e.getMessage());
      }
      LOG.errorf(e, "unexpected failure restoring %s of restore %s", task.key(), task.restore());
      return failed(task, "error restoring " + task.resourceId() + ": " + e);
    }
  }

  private ClusterWork clusterWork(String cluster) {
    KubeApi api = new KubeApi(clusters.client(cluster), config.requestTimeout());
    metrics.lane(cluster, () -> lanes.limit(cluster).current(), () -> lanes.held(cluster));
    Retrying.Sleeper sleeper = d -> Thread.sleep(d.toMillis());
    // Failures further apart than one longest pause plus one unanswered request are not one outage.
    Duration quietGap = config.retry().maxBackoff().plus(config.requestTimeout()).plusSeconds(5);
    Retrying retrying = new Retrying(config.retry().initialBackoff(), config.retry().maxBackoff(), quietGap,
        Duration.ofMillis(RestoreContext.DEFAULT_OUTAGE_TIMEOUT_MILLIS), sleeper, Clock.systemUTC())
        .onThrottled(lanes.limit(cluster)::throttled);
    ItemRestore.Waits waits = new ItemRestore.Waits(config.pollInterval(), config.resourceTimeout(),
        config.terminatingResourceTimeout());
    ClusterLookups lookups = new ClusterLookups(api, retrying, config.veleroNamespace());
    ItemRestore restorer = new ItemRestore(api, retrying, waits, sleeper, Clock.systemUTC(), worker,
        RestoreItemActions.builtIn(config.restoreHelperImage()), lookups, config.veleroNamespace(),
        VolumeSnapshotters.builtIn());
    // Dry runs: the same steps, every write with dryRun=All (the lookups only read).
    ItemRestore dryRun = new ItemRestore(api.dryRun(), retrying, waits, sleeper, Clock.systemUTC(), worker,
        RestoreItemActions.builtIn(config.restoreHelperImage()), lookups, config.veleroNamespace(),
        VolumeSnapshotters.builtIn());
    return new ClusterWork(restorer, dryRun, retrying);
  }

  /** The item's restore was canceled: it is not restored. */
  private static final class CanceledItem extends RuntimeException {
    CanceledItem() {
      super(null, null, false, false);
    }
  }

  /** The result of an item of a canceled restore: no record, no message (the restore's end says why). */
  private RestoreEvent.ItemRestored canceledResult(ItemTask task) {
    return new RestoreEvent.ItemRestored(task.restore(), task.cluster(), task.wave(), task.key(), null, Result.empty(),
        Result.empty(), List.of(), worker, Clock.systemUTC().instant());
  }

  private RestoreEvent.ItemRestored failed(ItemTask task, String message) {
    return failed(new ItemTaskHeaders.Identity(task.restore(), task.cluster(), task.wave(), task.key(),
        task.groupResource()), message);
  }

  private RestoreEvent.ItemRestored failed(ItemTaskHeaders.Identity item, String message) {
    Result errors = item.key().namespace().isEmpty() ? Result.empty().addVelero(message)
        : Result.empty().add(item.key().namespace(), message);
    return new RestoreEvent.ItemRestored(item.restore(), item.cluster(), item.wave(), item.key(), ItemAction.FAILED,
        Result.empty(), errors, List.of("error: " + message), worker, Clock.systemUTC().instant());
  }

  /**
   * A record that cannot be decoded: the item its headers name fails with the reason, and the
   * record goes to the dead-letter topic; both are acknowledged before its offset is committed.
   * Without Rebound's headers there is no item to fail: the copy and a log line are all.
   */
  private CompletableFuture<Void> undecodable(ConsumerRecord<String, byte[]> record, String reason) {
    Optional<ItemTaskHeaders.Identity> item = ItemTaskHeaders.read(record.headers());
    CompletableFuture<Void> copied = deadLetters.send(record, reason).subscribeAsCompletionStage();
    if (item.isEmpty()) {
      LOG.errorf("Record %s-%d@%d (key %s) is not an item task Rebound wrote (no item headers), copied to the "
          + "dead-letter topic: %s", record.topic(), record.partition(), record.offset(), record.key(), reason);
      return copied;
    }
    ItemTaskHeaders.Identity id = item.get();
    String message = "error restoring " + id.resourceId() + ": the item task could not be decoded: " + reason;
    LOG.errorf("Restore %s, cluster %s: %s (record %s-%d@%d copied to the dead-letter topic)", id.restore(),
        id.cluster(), message, record.topic(), record.partition(), record.offset());
    CompletableFuture<Void> reported = events.sendMessage(KafkaRecord.of(id.restore(), failed(id, message)))
        .subscribeAsCompletionStage();
    return CompletableFuture.allOf(copied, reported).thenRun(() -> metrics.restored(id.cluster(), ItemAction.FAILED));
  }
}
