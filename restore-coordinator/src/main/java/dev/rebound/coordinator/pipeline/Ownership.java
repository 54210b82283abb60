package dev.rebound.coordinator.pipeline;

import dev.rebound.model.Topics;
import dev.rebound.support.events.PartitionLease;
import dev.rebound.support.events.RestoreLogReader;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Which restores this coordinator drives. The coordinators share the restore log's partitions
 * through the consumer group {@value #GROUP} ({@link PartitionLease}); a restore's events all lie
 * on one partition, so its owner is the partition's. An owned partition is driven only once this
 * instance's log reader has delivered it up to its end offset at the assignment: everything the
 * previous owner appended is then folded, and the restores the log shows unfinished are resumed
 * from there. A partition taken away is released (its restores stop being acted on) before the
 * lease lets the group hand it to another instance. All of it happens on the log reader's thread,
 * between two polls, so it never interleaves with the fold.
 */
final class Ownership {

  private static final Logger LOG = Logger.getLogger(Ownership.class);
  /** The coordinators' consumer group. */
  static final String GROUP = "rebound-restore-coordinator";

  /** What the coordinator does when it starts or stops driving partitions' restores (reader thread). */
  interface Driver {
    void drive(int partition);

    void release(Set<Integer> partitions);
  }

  private final Driver driver;
  private final PartitionLease lease;
  /** Changes from the lease's thread, applied on the reader's thread in order. */
  private final Queue<Runnable> changes = new ConcurrentLinkedQueue<>();
  /** Owned partitions read far enough: their restores are driven here. Reader thread only. */
  private final Set<Integer> driven = new HashSet<>();
  /** Owned partitions not read far enough yet: the offset to reach. Reader thread only. */
  private final Map<Integer, Long> catchingUp = new HashMap<>();

  Ownership(String bootstrapServers, Driver driver) {
    this.driver = driver;
    this.lease = new PartitionLease(bootstrapServers, GROUP, "restore-coordinator", Topics.RESTORE_EVENTS,
        new PartitionLease.Listener() {
          @Override
          public void acquired(Map<Integer, Long> endOffsets) {
            changes.add(() -> catchingUp.putAll(endOffsets));
          }

          @Override
          public void released(Set<Integer> partitions) {
            awaitReleased(partitions);
          }
        });
  }

  void start() {
    lease.start();
  }

  void close() {
    lease.close();
  }

  /** Whether this instance drives the restores of a partition now; reader thread only. */
  boolean drives(int partition) {
    return driven.contains(partition);
  }

  /** Applies the lease's changes and drives the partitions now read far enough; reader thread only. */
  void apply(RestoreLogReader reader) {
    for (Runnable change; (change = changes.poll()) != null; ) {
      change.run();
    }
    for (var it = catchingUp.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      if (reader.delivered(entry.getKey()) >= entry.getValue()) {
        it.remove();
        driven.add(entry.getKey());
        driver.drive(entry.getKey());
      }
    }
  }

  /** On the lease's thread: returns once the reader's thread stopped driving the partitions. */
  private void awaitReleased(Set<Integer> partitions) {
    CountDownLatch done = new CountDownLatch(1);
    changes.add(() -> {
      catchingUp.keySet().removeAll(partitions);
      driven.removeAll(partitions);
      driver.release(partitions);
      done.countDown();
    });
    try {
      if (!done.await(5, TimeUnit.SECONDS)) {
        LOG.warnf("restore log partitions %s handed back before this coordinator stopped driving them", partitions);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
