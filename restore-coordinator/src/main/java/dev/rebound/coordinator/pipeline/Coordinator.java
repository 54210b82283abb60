package dev.rebound.coordinator.pipeline;

import dev.rebound.coordinator.RestorePlanning;
import dev.rebound.coordinator.archive.CorruptBackupException;
import dev.rebound.coordinator.config.CoordinatorConfig;
import dev.rebound.storage.BackupStore;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.RestorePhase;
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
import java.time.Clock;
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
  private final WavePublisher wavePublisher;
  private final RunPlanner runPlanner;
  private final WaveProgress progress;
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
    this.wavePublisher = new WavePublisher(store, config, publisher, clock);
    this.runPlanner = new RunPlanner(planning, clusters, publisher, clock);
    this.progress = new WaveProgress(config, failed -> workers.submit(() -> publisher.appendUntilAcknowledged(failed)));
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

  /** A restore with a snapshot: only its name is kept, so that no later submission takes it. */
  @Override
  public void ended(String restore, String summary) {
    ended.add(restore);
  }

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
      runs.values().stream().filter(r -> owned.active(r.partition)).forEach(r -> progress.endIfStalled(r, now));
    }
  }

  private java.time.Instant progressCheckedAt = java.time.Instant.EPOCH;

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
    // A run with its plan (driven here before) is placed now, and its next wave reserved so that the
    // fold does not start it too. A run without one is planned again first: only then is it placed,
    // since results may complete its wave meanwhile (the fold advances no run without a plan, see
    // advanceIfComplete) or the fold may advance it once the plan is there.
    boolean planned = c.plan != null;
    int placedWave = c.currentWave;
    boolean placedComplete = planned && c.currentWaveComplete();
    if (placedComplete) {
      c.advancedFrom = placedWave;
    }
    workers.submit(() -> guarded(run, c, () -> {
      if (stage == RestoreRun.Stage.SUBMITTED) {
        planAndStart(run, c);
        return;
      }
      if (!runPlanner.replan(run, c)) {
        return;
      }
      int wave = placedWave;
      boolean complete = placedComplete;
      if (!planned) {
        synchronized (run) {
          wave = c.currentWave;
          complete = c.currentWaveComplete();
          if (complete) {
            if (c.advancedFrom == wave) {
              return; // the fold started the next wave
            }
            c.advancedFrom = wave;
          }
        }
      }
      if (wave < 0) {
        startWave(run, c, 0);
      } else if (complete) {
        startWave(run, c, wave + 1);
      } else {
        wavePublisher.republishMissing(run, c, wave);
      }
    }));
  }

  /** Called with the run locked, on the reader thread. */
  private void advanceIfComplete(RestoreRun run, RestoreRun.ClusterRun c) {
    // A run taken over is planned again on a driver thread (its plan is null until then); that
    // thread decides where to go on once the plan is there (drive). Starting the next wave here
    // would find no plan.
    if (c.plan != null && c.currentWaveComplete() && c.advancedFrom != c.currentWave) {
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
    if (runPlanner.plan(run, c)) {
      startWave(run, c, 0);
    }
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
    Released.check(run, c);
    publisher.append(new RestoreEvent.WaveStarted(run.name, c.cluster, index, wave.size(), clock.instant()));
    wavePublisher.publish(run, c, wave, Set.of());
  }

  private interface Action {
    void run() throws Exception;
  }

  /** A failing step fails the restore run with the reason, never silently. */
  private void guarded(RestoreRun run, RestoreRun.ClusterRun c, Action action) {
    try {
      action.run();
    } catch (Released.Step e) {
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
