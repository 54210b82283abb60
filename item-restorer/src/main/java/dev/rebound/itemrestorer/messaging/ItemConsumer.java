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
import io.smallrye.reactive.messaging.annotations.Blocking;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Consumes {@link ItemTask}s (topic {@code rebound.restore-items}, consumer group shared by every
 * item-restorer), restores each into its cluster with at most
 * {@code max-concurrency-per-cluster} items at a time per cluster, and appends the result to
 * {@code rebound.restore-events}. The offset of an item is committed only after its result is
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
  /** Per target cluster: its restorer, the retrying its calls share, and its concurrency limit. */
  private record ClusterWork(ItemRestore restorer, ItemRestore dryRun, Retrying retrying, Semaphore permits) {}

  private final Map<String, ClusterWork> work = new ConcurrentHashMap<>();
  private final Set<Thread> working = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  ItemConsumer(TargetClusters clusters, ItemRestorerConfig config, ServiceConfig service, HeartbeatPublisher heartbeat,
      ItemMetrics metrics, DeadLetters deadLetters, CanceledRestores canceled,
      @Channel(Channels.RESTORE_EVENTS_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
      MutinyEmitter<RestoreEvent> events) {
    this.clusters = clusters;
    this.config = config;
    this.events = events;
    this.metrics = metrics;
    this.worker = heartbeat.current().instance();
    this.deadLetters = deadLetters;
    this.canceled = canceled;
    // An unusable key takes no item (PayloadKeySettingsCheck keeps the channel paused).
    Optional<ItemTaskCodec> built;
    try {
      built = Optional.of(new ItemTaskCodec(PayloadCipher.fromBase64(service.payloadKey().orElse(null))));
    } catch (IllegalArgumentException e) {
      built = Optional.empty();
    }
    this.codec = built;
  }

  @Incoming(Channels.RESTORE_ITEMS_IN)
  @Blocking(value = "item-workers", ordered = false)
  public void restore(ConsumerRecord<String, byte[]> record) {
    ItemTask task;
    try {
      task = codec.orElseThrow(() -> new UnreadablePayloadException("rebound.service.payload-key is not usable"))
          .decode(record.topic(), record.value());
    } catch (UnreadablePayloadException e) {
      undecodable(record, e.getMessage());
      return;
    }
    // An Interruption (shutdown) leaves the method before any result is sent: the record is not
    // acknowledged, so its offset stays uncommitted and the item is delivered again.
    RestoreEvent.ItemRestored result;
    boolean skipped = false;
    try {
      result = restoreWithinLimit(task);
    } catch (CanceledItem e) {
      result = canceledResult(task);
      skipped = true;
    }
    if (!result.errors().isEmpty()) {
      LOG.warnf("restore %s, cluster %s: %s", task.restore(), task.cluster(), String.join("; ", result.errors().messages()));
    }
    // Waits for the broker's acknowledgement; only then is the item's offset committed.
    events.sendMessageAndAwait(KafkaRecord.of(task.restore(), result));
    if (skipped) {
      metrics.canceled(task.cluster());
    } else {
      metrics.restored(task.cluster(), result.action());
    }
  }

  /**
   * Shutting down: items under way are interrupted (a wait for a cluster that is down would hold the
   * shutdown for up to the outage timeout) and none reports a result from now on, not even one whose
   * step failed because the cluster's client was closed under it: they are delivered again.
   */
  void stop(@Observes ShutdownEvent event) {
    stopping = true;
    working.forEach(Thread::interrupt);
  }

  private RestoreEvent.ItemRestored restoreWithinLimit(ItemTask task) {
    working.add(Thread.currentThread());
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
    } finally {
      working.remove(Thread.currentThread());
    }
  }

  private RestoreEvent.ItemRestored restoreInCluster(ItemTask task) {
    ClusterWork cluster;
    try {
      cluster = work.computeIfAbsent(task.cluster(), this::clusterWork);
    } catch (IllegalArgumentException e) {
      return failed(task, e.getMessage());
    }
    Semaphore limit = cluster.permits();
    try {
      limit.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Interruption("interrupted before restoring " + task.resourceId());
    }
    if (canceled.canceled(task.context().uid())) {
      // Checked once the item may go (it may have waited for a permit): a canceled restore's item is
      // not restored; its result has no record, so its wave completes and the restore can end.
      limit.release();
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
    } finally {
      limit.release();
    }
  }

  private ClusterWork clusterWork(String cluster) {
    KubeApi api = new KubeApi(clusters.client(cluster), config.requestTimeout());
    Retrying.Sleeper sleeper = d -> Thread.sleep(d.toMillis());
    // Failures further apart than one longest pause plus one unanswered request are not one outage.
    Duration quietGap = config.retry().maxBackoff().plus(config.requestTimeout()).plusSeconds(5);
    Retrying retrying = new Retrying(config.retry().initialBackoff(), config.retry().maxBackoff(), quietGap,
        Duration.ofMillis(RestoreContext.DEFAULT_OUTAGE_TIMEOUT_MILLIS), sleeper, Clock.systemUTC());
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
    return new ClusterWork(restorer, dryRun, retrying, new Semaphore(config.maxConcurrencyPerCluster()));
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
  private void undecodable(ConsumerRecord<String, byte[]> record, String reason) {
    Optional<ItemTaskHeaders.Identity> item = ItemTaskHeaders.read(record.headers());
    CompletableFuture<Void> copied = deadLetters.send(record, reason).subscribeAsCompletionStage();
    if (item.isEmpty()) {
      LOG.errorf("Record %s-%d@%d (key %s) is not an item task Rebound wrote (no item headers), copied to the "
          + "dead-letter topic: %s", record.topic(), record.partition(), record.offset(), record.key(), reason);
      copied.join();
      return;
    }
    ItemTaskHeaders.Identity id = item.get();
    String message = "error restoring " + id.resourceId() + ": the item task could not be decoded: " + reason;
    LOG.errorf("Restore %s, cluster %s: %s (record %s-%d@%d copied to the dead-letter topic)", id.restore(),
        id.cluster(), message, record.topic(), record.partition(), record.offset());
    CompletableFuture<Void> reported = events.sendMessage(KafkaRecord.of(id.restore(), failed(id, message)))
        .subscribeAsCompletionStage();
    CompletableFuture.allOf(copied, reported).join();
    metrics.restored(id.cluster(), ItemAction.FAILED);
  }
}
