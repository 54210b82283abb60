package dev.rebound.coordinator.pipeline;

import dev.rebound.coordinator.RestorePlanning;
import dev.rebound.coordinator.config.CoordinatorConfig;
import dev.rebound.storage.StorageLocations;
import dev.rebound.model.pipeline.ClusterFold;
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
 * Drives the restores of the restore log partitions this instance owns through their waves. Its
 * state is a fold of the log ({@link RestoreRun}) and its decisions are {@link RunMachine}'s: each
 * event read is folded there, and the commands that come out are carried out here (a submitted
 * run is validated and planned, {@link RunPlanner}; its waves published one at a time from the
 * recorded plan, {@link WavePublisher}; hooks and volume waits, {@link PodWaits}; the ending
 * appended). Restores the log shows unfinished when this instance takes their partition (a
 * restart, a takeover) are resumed from the log and the recorded plan: the current wave's missing
 * items are published again (item-restorers make the repeats harmless).
 */
@ApplicationScoped
public class Coordinator implements RestoreLogReader.Handler {

  private static final Logger LOG = Logger.getLogger(Coordinator.class);

  private final TargetClusters clusters;
  private final CoordinatorConfig config;
  private final Publisher publisher;
  private final String bootstrapServers;
  private final Clock clock = Clock.systemUTC();
  /** The restores not ended in every cluster; an ended one leaves, and only its name stays. */
  private final Map<String, RestoreRun> runs = new ConcurrentHashMap<>();
  /**
   * Names of the restores that ended, to their uid: a later submission of the name is not a new
   * restore, until the restore is deleted.
   */
  private final Map<String, String> ended = new ConcurrentHashMap<>();
  private final RestoreDeletions deletions;
  /** Restores deleted while they ran, ended, whose files the status-reporter is still storing. */
  private final Map<String, RestoreRun> awaitingFiles = new ConcurrentHashMap<>();
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

  Coordinator(RestorePlanning planning, StorageLocations locations, TargetClusters clusters, CoordinatorConfig config,
      Publisher publisher, PlanStore plans, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      ServiceSettings settings, HeartbeatPublisher heartbeat) {
    this.settings = settings;
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
    this.wavePublisher = new WavePublisher(plans, publisher, clock);
    this.runPlanner = new RunPlanner(planning, clusters, new PlanRecorder(locations, config, plans), publisher, clock);
    this.progress = new WaveProgress(config, failed -> workers.submit(() -> publisher.appendUntilAcknowledged(failed)));
    this.podWaits = new PodWaits(clusters, config, clock, publisher::appendUntilAcknowledged,
        heartbeat.current().instance());
    this.deletions = new RestoreDeletions(locations, clusters, config.veleroNamespace(), publisher::append,
        publisher::unfence, p -> owned.active(p), clock);
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
    deletions.shutdown();
  }

  // ---- the fold (log reader thread) ----

  /** A restore with a snapshot: only its name and uid are kept, so that no later submission takes it. */
  @Override
  public void ended(String restore, String summary) {
    // A restore appended without a uid (by a test, or an older writer) keeps "": no deletion names it.
    ended.put(restore, java.util.Objects.requireNonNullElse(SummaryUid.of(summary), ""));
  }

  /**
   * Folds an event; acts on it only when this instance drives the restore (it owns the event's
   * partition and has read it up to where the previous owner stopped).
   */
  @Override
  public void event(RestoreEvent event, RestoreLogReader.Position position) {
    boolean replayed = !owned.active(position.partition());
    if (event instanceof RestoreEvent.DeleteRequested request) {
      RestoreRun running = runs.get(request.restore());
      if (running != null && request.uid() != null && running.request.metadata() != null
          && request.uid().equals(running.request.metadata().uid())) {
        synchronized (running) {
          running.deletion = request; // deleted once its cancel (appended before) ended it
        }
      } else if (request.uid() != null && request.uid().equals(ended.get(request.restore()))) {
        deletions.requested(request, position.partition(), replayed);
      }
      return;
    }
    if (event instanceof RestoreEvent.Deleted deleted) {
      if (ended.remove(deleted.restore(), deleted.uid())) {
        deletions.deleted(deleted.restore()); // the name is free again
      }
      return;
    }
    if (event instanceof RestoreEvent.CancelRequested cancel) {
      RestoreRun run = runs.get(cancel.restore());
      if (run != null) {
        synchronized (run) {
          execute(run, RunMachine.cancel(run, cancel, replayed, clock.instant()));
        }
      }
      return;
    }
    if (event instanceof RestoreEvent.Submitted submitted) {
      if (runs.containsKey(submitted.restore()) || ended.containsKey(submitted.restore())) {
        return; // the first submission of a name wins
      }
      RestoreRun run = new RestoreRun(submitted, position.partition());
      runs.put(run.name, run);
      if (!replayed) {
        synchronized (run) {
          run.clusters.values().forEach(c -> execute(run, RunMachine.drive(run, c, clock.instant())));
        }
      }
      return;
    }
    if (event instanceof RestoreEvent.FilesStored stored) {
      RestoreRun deleted = awaitingFiles.remove(event.restore());
      if (deleted != null) {
        // The files are where the status-reporter says it stored them.
        deletions.requested(deleted.deletion.withFilesLocation(stored.location()), deleted.partition, replayed);
      }
      return;
    }
    RestoreRun run = runs.get(event.restore());
    if (run == null) {
      return;
    }
    synchronized (run) {
      execute(run, RunMachine.apply(run, event, replayed, clock.instant()));
      if (run.clusters.values().stream().allMatch(c -> c.stage() == ClusterFold.Stage.ENDED)) {
        ended.put(run.name, java.util.Objects.requireNonNullElse(run.request.metadata().uid(), ""));
        runs.remove(run.name); // its steps still running see the ended stage and stop
        if (run.deletion != null && ClusterFold.writesFiles(run.clusters.values())) {
          // Deleted once the status-reporter stored the files it writes for such a restore.
          awaitingFiles.put(run.name, run);
        } else if (run.deletion != null) {
          deletions.requested(run.deletion, run.partition, replayed);
        }
      }
    }
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
          if (c.stage() != ClusterFold.Stage.ENDED && !c.driven) {
            execute(run, RunMachine.drive(run, c, clock.instant()));
            resumed++;
          }
        }
      }
    }
    int deleting = deletions.activate(partition);
    LOG.infof("driving the restores of restore log partition %d: %d unfinished restore runs resumed, %d deletions",
        partition, resumed, deleting);
  }

  /** Another instance drives the partitions' restores from now on: this one stops acting on them. */
  private void release(Set<Integer> partitions) {
    for (RestoreRun run : runs.values()) {
      if (partitions.contains(run.partition)) {
        synchronized (run) {
          run.clusters.values().forEach(RunMachine::release);
        }
      }
    }
  }

  /**
   * Carries out the machine's commands; called with the run locked. The steps that take time (plan,
   * publish, hooks, waits, appends) run on other threads and report back through the log.
   */
  private void execute(RestoreRun run, List<RunMachine.Command> commands) {
    for (RunMachine.Command command : commands) {
      if (command instanceof RunMachine.Plan plan) {
        RestoreRun.ClusterRun c = run.cluster(plan.cluster());
        workers.submit(() -> guarded(run, c, () -> {
          if (runPlanner.plan(run, c)) {
            startWave(run, c, 0);
          }
        }));
      } else if (command instanceof RunMachine.StartWave start) {
        RestoreRun.ClusterRun c = run.cluster(start.cluster());
        workers.submit(() -> guarded(run, c, () -> {
          if (runPlanner.replanUnrecorded(run, c)) {
            startWave(run, c, start.wave());
          }
        }));
      } else if (command instanceof RunMachine.Republish republish) {
        RestoreRun.ClusterRun c = run.cluster(republish.cluster());
        workers.submit(() -> guarded(run, c, () -> {
          if (runPlanner.replanUnrecorded(run, c)) {
            wavePublisher.republishMissing(run, c, republish.wave());
          }
        }));
      } else if (command instanceof RunMachine.RunHooks hooks) {
        podWaits.runHooks(run, run.cluster(hooks.cluster()), hooks.pod(), hooks.hooks());
      } else if (command instanceof RunMachine.AwaitVolumes volumes) {
        podWaits.awaitVolumes(run, run.cluster(volumes.cluster()), volumes.pod());
      } else if (command instanceof RunMachine.PatchVolumes patches) {
        podWaits.patchVolumes(run, run.cluster(patches.cluster()), patches.patches());
      } else if (command instanceof RunMachine.Append append) {
        // Not guarded: an append that fails is tried again, never turned into a second, failed ending.
        workers.submit(() -> publisher.appendUntilAcknowledged(append.event()));
      } else if (command instanceof RunMachine.Fence fence) {
        workers.submit(() -> publisher.fenceUntilAcknowledged(fence.cancel()));
      }
    }
  }

  // ---- actions (driver threads) ----

  private void startWave(RestoreRun run, RestoreRun.ClusterRun c, int index) throws IOException {
    // Checked and announced under the run's lock: a cancel folded before sees no wave starting and
    // ends the run; one folded after waits for this wave's results.
    synchronized (run) {
      if (run.cancel != null) {
        execute(run, RunMachine.canceledBeforeWave(run, c, clock.instant()));
        return;
      }
      if (index >= c.waves().size()) {
        execute(run, RunMachine.wavesDone(run, c, clock.instant()));
        return;
      }
      Released.check(run, c);
      RestoreEvent.WaveSummary wave = c.waves().get(index);
      c.waveStarting = index;
      publisher.append(new RestoreEvent.WaveStarted(run.name, c.cluster(), index, wave.items(), clock.instant()));
    }
    wavePublisher.publish(run, c, index, Set.of());
  }

  private interface Action {
    void run() throws Exception;
  }

  /** A failing step fails the restore run with the reason, never silently. */
  private void guarded(RestoreRun run, RestoreRun.ClusterRun c, Action action) {
    try {
      action.run();
    } catch (Released.Step e) {
      LOG.infof("restore %s in cluster %s: left to the coordinator that owns it now", run.name, c.cluster());
    } catch (Exception e) {
      LOG.errorf(e, "restore %s in cluster %s failed", run.name, c.cluster());
      try {
        publisher.append(new RestoreEvent.Finished(run.name, c.cluster(), RestorePhase.FAILED,
            e instanceof PlanStore.PlanRecordException ? e.getMessage()
                : e instanceof IOException ? "error downloading backup: " + e.getMessage() : e.toString(),
            clock.instant()));
      } catch (RuntimeException again) {
        LOG.errorf(again, "cannot record the failure of restore %s", run.name);
      }
    }
  }
}
