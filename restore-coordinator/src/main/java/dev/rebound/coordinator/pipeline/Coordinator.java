package dev.rebound.coordinator.pipeline;

import dev.rebound.coordinator.RestorePlanning;
import dev.rebound.coordinator.archive.CorruptBackupException;
import dev.rebound.coordinator.config.CoordinatorConfig;
import dev.rebound.coordinator.plan.PlannedItem;
import dev.rebound.coordinator.validation.OutageTimeouts;
import dev.rebound.storage.BackupStore;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.RestoreContext;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.RestoreStatus;
import dev.rebound.model.velero.Result;
import dev.rebound.model.Topics;
import dev.rebound.support.events.OwnedPartitions;
import dev.rebound.support.events.PartitionLease;
import dev.rebound.support.events.RestoreLogReader;
import dev.rebound.support.messaging.HeartbeatPublisher;
import dev.rebound.support.kube.TargetClusters;
import dev.rebound.support.settings.ServiceSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Drives every restore through its waves. It reads the restore log from the start (its state is
 * a fold of the log, {@link RestoreRun}); for new events it acts: a submitted restore is
 * validated and planned ({@link RestorePlanning}), then its waves are published one at a time,
 * the next when every item of the current one has a result; after the last, the restore is
 * finished with Velero's phase. Restores the log shows unfinished when this process starts (it
 * was killed or restarted) are resumed: planned again and their current wave's missing items
 * published again (item-restorers make the repeats harmless).
 */
@ApplicationScoped
public class Coordinator implements RestoreLogReader.Handler {

  private static final Logger LOG = Logger.getLogger(Coordinator.class);

  private final RestorePlanning planning;
  private final BackupStore store;
  private final TargetClusters clusters;
  private final CoordinatorConfig config;
  private final Publisher publisher;
  private final String bootstrapServers;
  private final Clock clock = Clock.systemUTC();
  /** The restores not ended in every cluster; an ended one leaves, and only its name stays. */
  private final Map<String, RestoreRun> runs = new ConcurrentHashMap<>();
  /** Names of the restores that ended: a later submission of the name is not a new restore. */
  private final Set<String> ended = ConcurrentHashMap.newKeySet();
  private final ExecutorService workers;
  private final PodWaits podWaits;
  private RestoreLogReader reader;
  private final ServiceSettings settings;

  /** The coordinators' consumer group: its members share the restore log's partitions, and so the restores. */
  static final String GROUP = "rebound-restore-coordinator";
  /** Which partitions' restores this instance drives (DESIGN, "Ownership"). */
  private final OwnedPartitions owned = new OwnedPartitions(this::activate, this::release);
  private PartitionLease lease;

  Coordinator(RestorePlanning planning, BackupStore store, TargetClusters clusters, CoordinatorConfig config,
      Publisher publisher, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      ServiceSettings settings, HeartbeatPublisher heartbeat) {
    this.settings = settings;
    this.planning = planning;
    this.store = store;
    this.clusters = clusters;
    this.config = config;
    this.publisher = publisher;
    this.bootstrapServers = bootstrapServers;
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(config.parallelRestores(), r -> {
      Thread t = new Thread(r, "restore-driver-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.podWaits = new PodWaits(clusters, config, clock, publisher::appendUntilAcknowledged,
        heartbeat.current().instance());
  }

  /**
   * Reads the log, and joins the coordinators' group to own a share of its partitions, only once
   * every setting is valid: never plans half-configured.
   */
  void start(@Observes StartupEvent event) {
    reader = new RestoreLogReader(bootstrapServers, "restore-coordinator", this);
    lease = new PartitionLease(bootstrapServers, GROUP, "restore-coordinator", Topics.RESTORE_EVENTS, owned);
    settings.onceValid(() -> {
      reader.start();
      lease.start();
    });
  }

  void stop(@Observes ShutdownEvent event) {
    if (lease != null) {
      lease.close();
    }
    if (reader != null) {
      reader.close();
    }
    workers.shutdownNow();
    podWaits.shutdown();
  }

  // ---- the fold (log reader thread) ----

  /**
   * Folds an event; acts on it only when this instance drives the restore (it owns the event's
   * partition and has read it up to where the previous owner stopped).
   */
  @Override
  public void event(RestoreEvent event, RestoreLogReader.Position position) {
    boolean replayed = !owned.active(position.partition());
    if (event instanceof RestoreEvent.Submitted submitted) {
      if (runs.containsKey(submitted.restore()) || ended.contains(submitted.restore())) {
        return; // the first submission of a name wins
      }
      RestoreRun run = new RestoreRun(submitted, position.partition());
      runs.put(run.name, run);
      if (!replayed) {
        synchronized (run) {
          run.clusters.values().forEach(c -> drive(run, c));
        }
      }
      return;
    }
    RestoreRun run = runs.get(event.restore());
    if (run == null) {
      return;
    }
    synchronized (run) {
      fold(run, event, replayed);
      if (run.clusters.values().stream().allMatch(c -> c.stage == RestoreRun.Stage.ENDED)) {
        ended.add(run.name);
        runs.remove(run.name); // its steps still running see the ended stage and stop
      }
    }
  }

  private void fold(RestoreRun run, RestoreEvent event, boolean replayed) {
    if (event instanceof RestoreEvent.Rejected rejected) {
      cluster(run, rejected.cluster()).stage = RestoreRun.Stage.ENDED;
    } else if (event instanceof RestoreEvent.Planned planned) {
      RestoreRun.ClusterRun c = cluster(run, planned.cluster());
      c.stage = RestoreRun.Stage.RUNNING;
      c.resolved = planned.resolved();
      c.waves = planned.waves();
      c.planErrors = planned.errors().count();
    } else if (event instanceof RestoreEvent.WaveStarted started) {
      RestoreRun.ClusterRun c = cluster(run, started.cluster());
      c.currentWave = started.wave();
      c.expected = started.items();
      c.progressAt = clock.instant();
      if (!replayed && c.driven) {
        advanceIfComplete(run, c);
      }
    } else if (event instanceof RestoreEvent.ItemRestored result) {
      RestoreRun.ClusterRun c = cluster(run, result.cluster());
      boolean recorded = c.record(result);
      if (recorded && result.wave() == c.currentWave) {
        c.progressAt = clock.instant();
      }
      if (recorded && !replayed && c.driven && c.stage != RestoreRun.Stage.ENDED) {
        if (!result.execHooks().isEmpty()) {
          podWaits.runHooks(run, c, result.key(), result.execHooks());
        }
        if (!result.podVolumeRestores().isEmpty()) {
          podWaits.awaitVolumes(run, c, result.key());
        }
        if (result.wave() == c.currentWave) {
          advanceIfComplete(run, c);
        }
      }
    } else if (event instanceof RestoreEvent.PodVolumesRestored restored) {
      RestoreRun.ClusterRun c = cluster(run, restored.cluster());
      if (c.record(restored) && !replayed && c.driven && c.stage != RestoreRun.Stage.ENDED) {
        if (c.wavesDone && !c.volumesPending() && c.hooksPending()) {
          int pending = (int) c.hooks.keySet().stream().filter(p -> !c.hooksRun.contains(p)).count();
          workers.submit(() -> publisher.appendUntilAcknowledged(new RestoreEvent.AwaitingHooks(run.name, c.cluster, pending,
              clock.instant())));
        }
        finishIfDone(run, c);
      }
    } else if (event instanceof RestoreEvent.VolumesPatched patched) {
      RestoreRun.ClusterRun c = cluster(run, patched.cluster());
      if (c.record(patched) && !replayed && c.driven && c.stage != RestoreRun.Stage.ENDED) {
        finishIfDone(run, c);
      }
    } else if (event instanceof RestoreEvent.HookStarted started) {
      cluster(run, started.cluster()).record(started);
    } else if (event instanceof RestoreEvent.HooksRun hooksRun) {
      RestoreRun.ClusterRun c = cluster(run, hooksRun.cluster());
      if (c.record(hooksRun) && !replayed && c.driven && c.stage != RestoreRun.Stage.ENDED) {
        finishIfDone(run, c);
      }
    } else if (event instanceof RestoreEvent.Finished finished) {
      RestoreRun.ClusterRun c = cluster(run, finished.cluster());
      c.stage = RestoreRun.Stage.ENDED;
      c.plan = null;
      c.hooksCancelled = true; // hooks still waiting for their containers give up
    }
  }

  private static RestoreRun.ClusterRun cluster(RestoreRun run, String name) {
    return run.clusters.computeIfAbsent(name, RestoreRun.ClusterRun::new);
  }

  @Override
  public void caughtUp() {
    LOG.infof("restore log read: %d restores ended, %d not", ended.size(), runs.size());
  }

  /** Between two polls of the log: ownership changes, and partitions now read far enough to drive. */
  @Override
  public void idle() {
    owned.update(reader::delivered);
    java.time.Instant now = clock.instant();
    if (now.isAfter(progressCheckedAt.plusSeconds(1))) {
      progressCheckedAt = now;
      runs.values().stream().filter(r -> owned.active(r.partition)).forEach(r -> endIfStalled(r, now));
    }
  }

  private java.time.Instant progressCheckedAt = java.time.Instant.EPOCH;

  /**
   * Ends, Failed, a driven run whose current wave had no new result for the wave progress timeout,
   * naming the items without one: a lost task or an item no item-restorer takes never hangs the
   * restore. Reader thread.
   */
  private void endIfStalled(RestoreRun run, java.time.Instant now) {
    synchronized (run) {
      for (RestoreRun.ClusterRun c : run.clusters.values()) {
        if (!c.driven || c.stage != RestoreRun.Stage.RUNNING || c.finishing || c.wavesDone || c.plan == null
            || c.currentWave < 0 || c.currentWave >= c.plan.size() || c.currentWaveComplete() || c.progressAt == null
            || !now.isAfter(c.progressAt.plus(progressTimeout(run)))) {
          continue;
        }
        ExecutionWave wave = c.plan.get(c.currentWave);
        Set<ItemKey> done = c.resultsOf(c.currentWave);
        List<ItemKey> missing = wave.keys().stream().filter(k -> !done.contains(k)).toList();
        String reason = stallReason(wave, missing, progressTimeout(run));
        LOG.errorf("restore %s, cluster %s: %s", run.name, c.cluster, reason);
        c.finishing = true;
        RestoreEvent.Finished failed = new RestoreEvent.Finished(run.name, c.cluster, RestorePhase.FAILED, reason, now);
        workers.submit(() -> publisher.appendUntilAcknowledged(failed));
      }
    }
  }

  /**
   * The wave progress timeout, or more for a restore whose {@code rebound.dev/outage-timeout} lets
   * its items wait out a longer outage: a wave waiting out an outage is not a stalled one. (The
   * configured default outage timeout is the operator's to keep below the wave progress timeout.)
   */
  private java.time.Duration progressTimeout(RestoreRun run) {
    java.time.Duration asked = OutageTimeouts.of(run.request, java.time.Duration.ZERO);
    // An item's last attempt and pauses may run a little past the outage timeout.
    java.time.Duration longestItem = asked.plus(java.time.Duration.ofMinutes(5));
    return asked.isZero() || longestItem.compareTo(config.waveProgressTimeout()) <= 0 ? config.waveProgressTimeout()
        : longestItem;
  }

  /** "wave 3 (configmaps) made no progress for 30m0s; 2 of 200 items have no result: v1/ConfigMap shop/a, ..." */
  static String stallReason(ExecutionWave wave, List<ItemKey> missing, java.time.Duration timeout) {
    int shown = Math.min(missing.size(), 20);
    String names = String.join(", ", missing.subList(0, shown).stream().map(ItemKey::toString).toList());
    return "wave " + wave.index() + " (" + wave.name() + ") made no progress for "
        + dev.rebound.model.velero.GoDurations.format(timeout.toMillis()) + "; " + missing.size() + " of " + wave.size()
        + " items have no result: " + names + (missing.size() > shown ? " and " + (missing.size() - shown)
        + " more" : "");
  }

  /** This instance now drives the partition's restores: those the log shows unfinished are resumed. */
  private void activate(int partition) {
    int resumed = 0;
    for (RestoreRun run : runs.values()) {
      if (run.partition != partition) {
        continue;
      }
      synchronized (run) {
        for (RestoreRun.ClusterRun c : run.clusters.values()) {
          if (c.stage != RestoreRun.Stage.ENDED && !c.driven) {
            drive(run, c);
            resumed++;
          }
        }
      }
    }
    LOG.infof("driving the restores of restore log partition %d: %d unfinished restore runs resumed", partition,
        resumed);
  }

  /** Another instance drives the partitions' restores from now on: this one stops acting on them. */
  private void release(Set<Integer> partitions) {
    for (RestoreRun run : runs.values()) {
      if (partitions.contains(run.partition)) {
        synchronized (run) {
          for (RestoreRun.ClusterRun c : run.clusters.values()) {
            c.driven = false;
            c.advancedFrom = -1;
          }
        }
      }
    }
  }

  /** Starts (or resumes) driving a cluster run; called with the run locked. */
  private void drive(RestoreRun run, RestoreRun.ClusterRun c) {
    c.driven = true;
    c.progressAt = clock.instant();
    podWaits.resume(run, c);
    RestoreRun.Stage stage = c.stage;
    int wave = c.currentWave;
    boolean complete = c.currentWaveComplete();
    if (complete) {
      c.advancedFrom = wave;
    }
    workers.submit(() -> guarded(run, c, () -> {
      if (stage == RestoreRun.Stage.SUBMITTED) {
        planAndStart(run, c);
        return;
      }
      if (!replan(run, c)) {
        return;
      }
      if (wave < 0) {
        startWave(run, c, 0);
      } else if (complete) {
        startWave(run, c, wave + 1);
      } else {
        republishMissing(run, c, wave);
      }
    }));
  }

  /** Called with the run locked, on the reader thread. */
  private void advanceIfComplete(RestoreRun run, RestoreRun.ClusterRun c) {
    if (c.currentWaveComplete() && c.advancedFrom != c.currentWave) {
      c.advancedFrom = c.currentWave;
      int next = c.currentWave + 1;
      workers.submit(() -> guarded(run, c, () -> startWave(run, c, next)));
    }
  }

  /**
   * Ends the run once every wave has its results, every restored pod's volume restores ended and
   * its exec hooks ran (Velero waits for both too); called with the run locked.
   */
  private void finishIfDone(RestoreRun run, RestoreRun.ClusterRun c) {
    if (!c.wavesDone || c.volumesPending() || c.hooksPending() || c.finishing
        || !c.pendingVolumePatches(run.request).isEmpty()) {
      return;
    }
    c.finishing = true;
    RestorePhase phase = c.errors() > 0 ? RestorePhase.PARTIALLY_FAILED : RestorePhase.COMPLETED;
    RestoreEvent.Finished finished = new RestoreEvent.Finished(run.name, c.cluster, phase, null, clock.instant());
    // Not guarded: an append that fails is tried again, never turned into a second, failed ending.
    workers.submit(() -> publisher.appendUntilAcknowledged(finished));
  }

  // ---- actions (driver threads) ----

  private void planAndStart(RestoreRun run, RestoreRun.ClusterRun c) throws IOException, CorruptBackupException {
    requireDriven(run, c);
    if (!clusters.names().contains(c.cluster)) {
      Restore rejected = run.request.withStatus(RestoreStatus.failedValidation(List.of("unknown target cluster \""
          + c.cluster + "\"; configured clusters: " + clusters.names())));
      publisher.append(new RestoreEvent.Rejected(run.name, c.cluster, rejected, clock.instant()));
      return;
    }
    RestorePlanning.Outcome outcome = planning.plan(run.request, c.cluster);
    requireDriven(run, c);
    if (outcome.plan().isEmpty()) {
      publisher.append(new RestoreEvent.Rejected(run.name, c.cluster, outcome.restore(), clock.instant()));
      return;
    }
    c.adopt(outcome);
    List<ExecutionWave> waves = c.plan;
    var plan = outcome.plan().get();
    Restore resolved = outcome.restore().withStatus(RestoreStatus.phase(RestorePhase.IN_PROGRESS));
    publisher.append(new RestoreEvent.Planned(run.name, c.cluster, resolved,
        waves.stream().map(ExecutionWave::summary).toList(), plan.warnings(), plan.errors(), clock.instant()));
    synchronized (run) {
      // The fold sets it too, when it reads Planned back; publishing must not wait for that.
      c.resolved = resolved;
    }
    startWave(run, c, 0);
  }

  /** Plans again after a restart; the plan is not in the log. False (and the run failed) when it cannot be. */
  private boolean replan(RestoreRun run, RestoreRun.ClusterRun c) {
    if (c.plan != null) {
      return true;
    }
    RestorePlanning.Outcome outcome = planning.plan(run.request, c.cluster);
    if (outcome.plan().isEmpty()) {
      String reason = outcome.restore().status() == null ? "the restore can no longer be planned"
          : outcome.restore().status().failureReason() != null ? outcome.restore().status().failureReason()
          : String.join("; ", outcome.restore().status().validationErrors());
      publisher.append(new RestoreEvent.Finished(run.name, c.cluster, RestorePhase.FAILED,
          "error resuming the restore: " + reason, clock.instant()));
      return false;
    }
    c.adopt(outcome);
    return true;
  }

  private void startWave(RestoreRun run, RestoreRun.ClusterRun c, int index) throws IOException, CorruptBackupException {
    if (index >= c.plan.size()) {
      int pendingVolumes;
      int pendingHooks;
      synchronized (run) {
        c.wavesDone = true;
        var patches = c.pendingVolumePatches(run.request);
        if (!patches.isEmpty()) {
          podWaits.patchVolumes(run, c, patches); // Velero's finalizer: bound claims' new volumes
        }
        pendingVolumes = c.pendingVolumePods();
        pendingHooks = (int) c.hooks.keySet().stream().filter(p -> !c.hooksRun.contains(p)).count();
        finishIfDone(run, c);
      }
      // Volume data first (WaitingForPluginOperations), then hooks (Finalizing); the second is
      // announced when the last volume restore ends.
      if (pendingVolumes > 0) {
        publisher.append(new RestoreEvent.AwaitingVolumes(run.name, c.cluster, pendingVolumes, clock.instant()));
      } else if (pendingHooks > 0) {
        publisher.append(new RestoreEvent.AwaitingHooks(run.name, c.cluster, pendingHooks, clock.instant()));
      }
      return;
    }
    ExecutionWave wave = c.plan.get(index);
    requireDriven(run, c);
    publisher.append(new RestoreEvent.WaveStarted(run.name, c.cluster, index, wave.size(), clock.instant()));
    publish(run, c, wave, Set.of());
  }

  private void republishMissing(RestoreRun run, RestoreRun.ClusterRun c, int index)
      throws IOException, CorruptBackupException {
    Set<ItemKey> done;
    synchronized (run) {
      done = Set.copyOf(c.resultsOf(index));
    }
    LOG.infof("resuming restore %s in cluster %s at wave %d: %d of %d items have results", run.name, c.cluster,
        index, done.size(), c.plan.get(index).size());
    publish(run, c, c.plan.get(index), done);
  }

  private void publish(RestoreRun run, RestoreRun.ClusterRun c, ExecutionWave wave, Set<ItemKey> skip)
      throws IOException, CorruptBackupException {
    Restore restore = c.resolved != null ? c.resolved : run.request;
    Map<String, String> renamedVolumes;
    synchronized (run) {
      renamedVolumes = Map.copyOf(c.renamedVolumes); // folded by the log reader's thread
    }
    WaveReader.Target target = new WaveReader.Target(run.name, restore.spec().backupName(), c.cluster,
        new RestoreContext(restore.metadata() == null ? null : restore.metadata().uid(),
            c.itemSpec != null ? c.itemSpec : restore.spec(), c.resourceModifiers,
            OutageTimeouts.of(run.request, config.defaultOutageTimeout()).toMillis()), c.persistentVolumes, c.nativeSnapshots, c.podVolumes, renamedVolumes);
    Publisher.Batch batch = publisher.batch();
    List<PlannedItem> missing;
    try (InputStream tarball = store.openTarball(restore.spec().backupName())) {
      missing = new WaveReader(config.maxItemBytes(), c.versionDirs).read(tarball, target, wave, task -> {
        if (batch.count() % 500 == 0) {
          requireDriven(run, c);
        }
        if (!skip.contains(task.key())) {
          batch.add(task);
        }
      });
    }
    batch.await();
    requireDriven(run, c);
    // An item planned but no longer in the backup still needs a result, or the wave never ends.
    for (PlannedItem item : missing) {
      ItemTask task = WaveReader.task(target, wave.index(), item, dev.rebound.model.Json.mapper().createObjectNode());
      if (!skip.contains(task.key())) {
        String message = "error restoring " + task.resourceId() + ": the item is no longer in backup "
            + target.backup();
        publisher.append(new RestoreEvent.ItemRestored(run.name, c.cluster, wave.index(), task.key(), ItemAction.FAILED,
            Result.empty(), Result.empty().add(task.key().namespace(), message), List.of("error: " + message),
            "restore-coordinator", clock.instant()));
      }
    }
    LOG.infof("restore %s, cluster %s: wave %d (%s) published, %d items", run.name, c.cluster, wave.index(),
        wave.name(), batch.count());
  }

  private interface Action {
    void run() throws Exception;
  }

  /** Another coordinator drives the restore now: this one's step ends without a trace in the log. */
  private static final class Released extends RuntimeException {
    Released() {
      super(null, null, false, false);
    }
  }

  private static void requireDriven(RestoreRun run, RestoreRun.ClusterRun c) {
    synchronized (run) {
      if (!c.driven) {
        throw new Released();
      }
    }
  }

  /** A failing step fails the restore run with the reason, never silently. */
  private void guarded(RestoreRun run, RestoreRun.ClusterRun c, Action action) {
    try {
      action.run();
    } catch (Released e) {
      LOG.infof("restore %s in cluster %s: left to the coordinator that owns it now", run.name, c.cluster);
    } catch (Exception e) {
      LOG.errorf(e, "restore %s in cluster %s failed", run.name, c.cluster);
      try {
        publisher.append(new RestoreEvent.Finished(run.name, c.cluster, RestorePhase.FAILED,
            e instanceof IOException ? "error downloading backup: " + e.getMessage() : e.toString(), clock.instant()));
      } catch (RuntimeException again) {
        LOG.errorf(again, "cannot record the failure of restore %s", run.name);
      }
    }
  }
}
