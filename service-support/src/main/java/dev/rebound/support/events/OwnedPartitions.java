package dev.rebound.support.events;

import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.IntToLongFunction;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * What a {@link PartitionLease} gives one instance, seen from its {@link RestoreLogReader}'s thread:
 * a partition it acquired becomes <em>active</em> once the reader has delivered the partition up to
 * the end offset it had when it was acquired (the instance then knows everything its predecessor
 * did), and stops being active when the lease releases it. Ownership changes arrive on the lease's
 * thread and are applied on the reader's, in {@link #update}, called from {@link RestoreLogReader.Handler#idle}.
 */
public final class OwnedPartitions implements PartitionLease.Listener {

  private static final Logger LOG = Logger.getLogger(OwnedPartitions.class);

  private final Queue<Runnable> changes = new ConcurrentLinkedQueue<>();
  /** Active partitions; written on the reader's thread, read anywhere. */
  private final Set<Integer> active = ConcurrentHashMap.newKeySet();
  /** Acquired partitions not read far enough yet: the end offset to reach. Reader thread only. */
  private final Map<Integer, Long> catchingUp = new HashMap<>();
  private final IntConsumer activated;
  private final Consumer<Set<Integer>> released;

  /**
   * @param activated called on the reader's thread when a partition becomes active
   * @param released called on the reader's thread when partitions are released; the lease waits
   *     for it (up to five seconds) before another instance may acquire them
   */
  public OwnedPartitions(IntConsumer activated, Consumer<Set<Integer>> released) {
    this.activated = activated;
    this.released = released;
  }

  @Override
  public void acquired(Map<Integer, Long> endOffsets) {
    changes.add(() -> catchingUp.putAll(endOffsets));
  }

  @Override
  public void released(Set<Integer> partitions) {
    CountDownLatch done = new CountDownLatch(1);
    changes.add(() -> {
      catchingUp.keySet().removeAll(partitions);
      active.removeAll(partitions);
      released.accept(partitions);
      done.countDown();
    });
    try {
      if (!done.await(5, TimeUnit.SECONDS)) {
        LOG.warnf("partitions %s released before this instance stopped acting on them", partitions);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reader thread: applies the ownership changes, and activates the partitions now read far enough. */
  public void update(IntToLongFunction delivered) {
    for (Runnable change; (change = changes.poll()) != null; ) {
      change.run();
    }
    for (var it = catchingUp.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      if (delivered.applyAsLong(entry.getKey()) >= entry.getValue()) {
        it.remove();
        active.add(entry.getKey());
        activated.accept(entry.getKey());
      }
    }
  }

  /** Whether this instance acts on the partition's restores now. */
  public boolean active(int partition) {
    return active.contains(partition);
  }
}
