package dev.rebound.itemrestorer.messaging;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * One lane per target cluster: its own threads, at most {@code threadsPerCluster} items at a time
 * (fewer while its API server answers 429: {@link ClusterLimit}), and its own queue of the items
 * taken from the topic for it and not yet started. A cluster that
 * is slow or down holds only its own lane's threads; the items of the other clusters, fetched
 * behind its items, are restored by their lanes meanwhile.
 *
 * <p>What the lanes hold is bounded: the items taken and not yet finished (queued, being restored,
 * or their result not yet acknowledged by the broker) at most {@code maxItems} and their records'
 * values {@code maxBytes}. Past either bound {@link #submit} answers a stage that completes only
 * when enough of them finished, which is how the consumer method holds back the next record (the
 * channel gives it one record at a time and waits for the stage); one item is always taken, however
 * large. A cluster that stays down past the bound therefore holds up the others again: its items wait
 * out the restore's outage timeout (DESIGN, "Per-cluster lanes").
 */
final class ItemLanes {

  /** An item of a lane: its partition (for revocations) and its size, and its work, which answers when it is finished. */
  private final class Item implements Runnable {
    final TopicPartition partition;
    final long bytes;
    final Lane lane;
    final Supplier<CompletionStage<?>> work;

    Item(TopicPartition partition, long bytes, Lane lane, Supplier<CompletionStage<?>> work) {
      this.partition = partition;
      this.bytes = bytes;
      this.lane = lane;
      this.work = work;
    }

    @Override
    public void run() {
      try {
        lane.limit().acquire();
      } catch (InterruptedException e) {
        release(this); // shutting down: not acknowledged, delivered again
        Thread.currentThread().interrupt();
        return;
      }
      CompletionStage<?> finished;
      try {
        finished = work.get();
      } catch (RuntimeException | Error e) {
        release(this);
        throw e;
      } finally {
        lane.limit().release();
      }
      finished.whenComplete((r, e) -> release(this));
    }
  }

  /** A cluster's threads and queue, and how many of its items may be under way now. */
  private record Lane(ThreadPoolExecutor executor, ClusterLimit limit, AtomicInteger held) {}

  /** One burst of 429s halves a cluster's limit once: further cuts wait this long. */
  private static final java.time.Duration THROTTLE_CALM = java.time.Duration.ofSeconds(1);

  private final int threadsPerCluster;
  private final int maxItems;
  private final long maxBytes;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
  private final AtomicInteger threadNumbers = new AtomicInteger();
  private int items;
  private long bytes;
  /** The stage {@link #submit} answered while over the bounds, completed once they are met again. */
  private CompletableFuture<Void> gate;
  private boolean stopped;

  ItemLanes(int threadsPerCluster, int maxItems, long maxBytes) {
    if (threadsPerCluster < 1 || maxItems < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("lanes need at least one thread, item and byte");
    }
    this.threadsPerCluster = threadsPerCluster;
    this.maxItems = maxItems;
    this.maxBytes = maxBytes;
  }

  /**
   * Queues an item in its cluster's lane. The answer completes when the next item may be taken: at
   * once, or, past the bounds, when enough items have finished.
   */
  CompletionStage<Void> submit(String cluster, TopicPartition partition, long size,
      Supplier<CompletionStage<?>> work) {
    Lane lane = lane(cluster);
    Item item = new Item(partition, size, lane, work);
    CompletableFuture<Void> next;
    synchronized (this) {
      if (stopped) {
        return new CompletableFuture<>(); // shutting down: no more items are taken
      }
      items++;
      bytes += size;
      lane.held().incrementAndGet();
      if (items < maxItems && bytes < maxBytes) {
        next = CompletableFuture.completedFuture(null);
      } else {
        gate = new CompletableFuture<>();
        next = gate;
      }
    }
    try {
      lane.executor().execute(item);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      release(item); // shut down meanwhile: the item is not acknowledged, so it is delivered again
      return new CompletableFuture<>();
    }
    return next;
  }

  /**
   * Drops the items of these partitions that have not started: the group gave the partitions to
   * another member (or takes them back for a moment), which restores them from their committed
   * offset. Items under way go on; a second restore of one counts once ({@code ItemRestore}).
   *
   * @return how many were dropped
   */
  int revoke(Collection<TopicPartition> partitions) {
    Set<TopicPartition> revoked = Set.copyOf(partitions);
    int dropped = 0;
    for (Lane l : lanes.values()) {
      ThreadPoolExecutor lane = l.executor();
      List<Runnable> queued = List.copyOf(lane.getQueue());
      for (Runnable r : queued) {
        if (r instanceof Item i && revoked.contains(i.partition) && lane.getQueue().remove(r)) {
          release(i);
          dropped++;
        }
      }
    }
    return dropped;
  }

  /** Items taken and not finished, by cluster: queued, under way, or their result not yet acknowledged. */
  Map<String, Integer> held() {
    Map<String, Integer> out = new java.util.TreeMap<>();
    lanes.forEach((cluster, lane) -> out.put(cluster, lane.held().get()));
    return out;
  }

  /** Items taken for the cluster and not finished. */
  int held(String cluster) {
    return lane(cluster).held().get();
  }

  /** Stops taking items, drops the queued ones and interrupts those under way: none of them is acknowledged. */
  void shutdownNow() {
    synchronized (this) {
      stopped = true;
    }
    lanes.values().forEach(lane -> lane.executor().shutdownNow());
  }

  private void release(Item item) {
    CompletableFuture<Void> open = null;
    item.lane.held().decrementAndGet();
    synchronized (this) {
      items--;
      bytes -= item.bytes;
      if (gate != null && items < maxItems && bytes < maxBytes) {
        open = gate;
        gate = null;
      }
    }
    if (open != null) {
      open.complete(null);
    }
  }

  /** The cluster's limit, which its API server's 429s lower ({@link ClusterLimit#throttled}). */
  ClusterLimit limit(String cluster) {
    return lane(cluster).limit();
  }

  private Lane lane(String cluster) {
    return lanes.computeIfAbsent(cluster, c -> {
      ThreadPoolExecutor lane = new ThreadPoolExecutor(threadsPerCluster, threadsPerCluster, 60, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "items-" + (c.isEmpty() ? "unnamed" : c) + "-" + threadNumbers.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      lane.allowCoreThreadTimeOut(true);
      return new Lane(lane, new ClusterLimit(threadsPerCluster, THROTTLE_CALM, java.time.Clock.systemUTC()),
          new AtomicInteger());
    });
  }
}
