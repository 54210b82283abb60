package dev.rebound.coordinator.pipeline;

import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.pipeline.StoredPlan;
import dev.rebound.model.velero.Result;
import java.io.IOException;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Publishes a wave's item tasks, read from the run's recorded plan ({@link PlanStore}), skipping the
 * items that already have a result; an item planned but no longer in the backup when the plan was
 * recorded gets its failed result here, so the wave still ends.
 */
final class WavePublisher {

  private static final Logger LOG = Logger.getLogger(WavePublisher.class);

  private final PlanStore plans;
  private final Publisher publisher;
  private final Clock clock;

  WavePublisher(PlanStore plans, Publisher publisher, Clock clock) {
    this.plans = plans;
    this.publisher = publisher;
    this.clock = clock;
  }

  void republishMissing(RestoreRun run, RestoreRun.ClusterRun c, int index) throws IOException {
    Set<ItemKey> done;
    synchronized (run) {
      done = Set.copyOf(c.resultsOf(index));
    }
    LOG.infof("resuming restore %s in cluster %s at wave %d: %d of %d items have results", run.name, c.cluster(),
        index, done.size(), c.waves().get(index).items());
    publish(run, c, index, done);
  }

  void publish(RestoreRun run, RestoreRun.ClusterRun c, int index, Set<ItemKey> skip) throws IOException {
    StoredPlan stored;
    Map<String, String> renamedVolumes;
    String backup;
    synchronized (run) {
      stored = c.stored();
      backup = (c.resolved() != null ? c.resolved() : run.request).spec().backupName();
      renamedVolumes = Map.copyOf(c.renamedVolumes); // folded by the log reader's thread
    }
    Publisher.Batch batch = publisher.batch();
    Set<ItemKey> keys = new HashSet<>();
    // Kept until the wave ends, to name the items a stalled wave lacks: a wave may have a million,
    // so their resources and namespaces share one string each rather than one per item.
    Map<String, String> shared = new HashMap<>();
    plans.read(stored, run.name, c.cluster(), index, task -> {
      ItemKey key = task.key();
      keys.add(new ItemKey(shared.computeIfAbsent(key.resource(), r -> r),
          shared.computeIfAbsent(key.namespace(), n -> n), key.name()));
      if (batch.count() % 500 == 0) {
        Released.check(run, c);
      }
      if (!skip.contains(task.key())) {
        batch.add(withRenamedVolume(task, stored, renamedVolumes));
      }
    });
    batch.await();
    Released.check(run, c);
    // An item planned but no longer in the backup still needs a result, or the wave never ends.
    for (StoredPlan.MissingItem item : stored.wave(index).missing()) {
      keys.add(item.key());
      if (!skip.contains(item.key())) {
        String message = "error restoring " + item.resourceId() + ": the item is no longer in backup " + backup;
        publisher.append(new RestoreEvent.ItemRestored(run.name, c.cluster(), index, item.key(), ItemAction.FAILED,
            Result.empty(), Result.empty().add(item.key().namespace(), message), List.of("error: " + message),
            "restore-coordinator", clock.instant()));
      }
    }
    synchronized (run) {
      c.waveKeys = new RestoreRun.WaveKeys(index, Collections.unmodifiableSet(keys)); // not copied: one set
    }
    LOG.infof("restore %s, cluster %s: wave %d (%s) published, %d items", run.name, c.cluster(), index,
        c.waves().get(index).name(), batch.count());
  }

  /** A claim's task learns the new name of its volume, renamed by an earlier wave (reference 3.7). */
  private static ItemTask withRenamedVolume(ItemTask task, StoredPlan stored, Map<String, String> renamedVolumes) {
    if (!task.groupResource().equals(WaveReader.PERSISTENT_VOLUME_CLAIMS) || renamedVolumes.isEmpty()) {
      return task;
    }
    return new ItemTask(task.restore(), task.backup(), task.cluster(), task.wave(), task.key(), task.groupResource(),
        task.sourceNamespace(), task.context(), task.object(),
        WaveReader.claimHint(task.object(), stored.persistentVolumes(), renamedVolumes));
  }
}
