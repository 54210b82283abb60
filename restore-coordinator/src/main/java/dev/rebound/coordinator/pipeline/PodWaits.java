package dev.rebound.coordinator.pipeline;

import dev.rebound.coordinator.config.CoordinatorConfig;
import dev.rebound.coordinator.hooks.HookRunner;
import dev.rebound.coordinator.hooks.KubePods;
import dev.rebound.coordinator.volumes.PodVolumeWaiter;
import dev.rebound.model.pipeline.ClusterFold;
import dev.rebound.model.pipeline.ExecHook;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.support.kube.TargetClusters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The {@link Coordinator}'s waits on restored pods, off the log reader's thread: a pod's exec hooks
 * ({@link HookRunner}, appending HooksRun) and its PodVolumeRestores ({@link PodVolumeWaiter},
 * appending PodVolumesRestored). The fold reads the appended events back and finishes the run.
 */
final class PodWaits {

  private static final Logger LOG = Logger.getLogger(PodWaits.class);
  /** Velero's finalizer looks at a claim every 10 s. */
  static final java.time.Duration VOLUME_PATCH_POLL = java.time.Duration.ofSeconds(10);
  /** How often a pod is looked at while its hooks or volume restores are waited for (Velero watches it). */
  private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  private final TargetClusters clusters;
  private final CoordinatorConfig config;
  private final Clock clock;
  /** Appends an event, trying again until the broker takes it. */
  private final Consumer<RestoreEvent> append;
  /**
   * Pods' exec hooks and volume waits, which may wait long for their containers and volume data:
   * up to 256 at a time (Velero waits for all of them at once; beyond that, a pod's wait starts
   * when a thread is free).
   */
  private final ExecutorService workers = Executors.newFixedThreadPool(256, r -> {
    Thread t = new Thread(r, "restore-hooks-and-volume-waits");
    t.setDaemon(true);
    return t;
  });

  /** This coordinator instance, recorded with the hooks it starts. */
  private final String instance;

  PodWaits(TargetClusters clusters, CoordinatorConfig config, Clock clock, Consumer<RestoreEvent> append,
      String instance) {
    this.instance = instance;
    this.clusters = clusters;
    this.config = config;
    this.clock = clock;
    this.append = append;
  }

  void shutdown() {
    workers.shutdownNow();
  }

  /** Runs a pod's exec hooks off the reader thread and appends HooksRun; called with the run locked. */
  void runHooks(RestoreRun run, RestoreRun.ClusterRun c, ItemKey pod, List<ExecHook> hooks) {
    if (!c.hooksStarted.add(pod)) {
      return;
    }
    Set<String> startedBefore = Set.copyOf(c.hooksBegun(pod));
    workers.submit(() -> {
      HookRunner.Outcome outcome;
      try {
        HookRunner runner = new HookRunner(new KubePods(clusters.client(c.cluster())), clock, POLL_INTERVAL,
            d -> Thread.sleep(d.toMillis()));
        outcome = runner.run(pod, hooks, () -> {
          synchronized (run) {
            return c.hooksCancelled;
          }
        }, startedBefore, new HookRunner.Intent() {
          @Override
          public boolean starting(ExecHook hook) {
            // Under the run's lock: a release of the restore (which takes the lock) waits for the
            // record, so the next owner's reader sees it before that owner acts.
            synchronized (run) {
              if (!c.driven) {
                return false;
              }
              append.accept(new RestoreEvent.HookStarted(run.name, c.cluster(), pod, hook.container(), hook.name(),
                  instance, clock.instant()));
              return !Thread.currentThread().isInterrupted();
            }
          }

          @Override
          public boolean stopped() {
            synchronized (run) {
              return !c.driven;
            }
          }
        });
        if (outcome == null) {
          synchronized (run) {
            c.hooksStarted.remove(pod); // another instance drives the restore now, or will again
          }
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // shutting down: the next start runs them
      } catch (RuntimeException e) {
        LOG.errorf(e, "restore %s: cannot run the hooks of pod %s", run.name, pod);
        List<String> errors = hooks.stream().map(h -> "hook " + h.name() + " in container " + h.container()
            + " in pod " + pod.namespace() + "/" + pod.name() + " not executed: " + e.getMessage()).toList();
        outcome = new HookRunner.Outcome(hooks.size(), hooks.size(), errors, errors);
      }
      if (!outcome.errors().isEmpty()) {
        synchronized (run) {
          c.hooksCancelled = true;
        }
      }
      // The hooks ran: their result is appended whatever it takes, never run again for a lost append.
      append.accept(new RestoreEvent.HooksRun(run.name, c.cluster(), pod, outcome.attempted(),
          outcome.failed(), outcome.errors(), outcome.log(), clock.instant()));
    });
  }

  /** Waits off the reader thread for a pod's PodVolumeRestores and appends PodVolumesRestored; called with the run locked. */
  void awaitVolumes(RestoreRun run, RestoreRun.ClusterRun c, ItemKey pod) {
    if (!c.volumesAwaited.add(pod)) {
      return;
    }
    List<String> names = c.volumes().get(pod);
    Instant since = c.volumesSince(pod);
    workers.submit(() -> {
      PodVolumeWaiter.Outcome outcome;
      try {
        PodVolumeWaiter waiter = new PodVolumeWaiter(clusters.client(c.cluster()), config.veleroNamespace(),
            config.podVolumeOperationTimeout(), POLL_INTERVAL, clock, d -> Thread.sleep(d.toMillis()));
        outcome = waiter.await(pod, names, since, itemOperationTimeout(run, c), () -> {
          synchronized (run) {
            return c.stage() == ClusterFold.Stage.ENDED || !c.driven;
          }
        });
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // shutting down: the next start waits again
      } catch (RuntimeException e) {
        LOG.errorf(e, "restore %s: cannot wait for the volume restores of pod %s", run.name, pod);
        outcome = new PodVolumeWaiter.Outcome(names.size(), 0, 0,
            List.of("pod volume restore failed: " + e.getMessage()), List.of(), List.of(), List.of());
      }
      if (outcome == null) {
        synchronized (run) {
          c.volumesAwaited.remove(pod); // released: whoever drives the restore waits again
        }
        return;
      }
      append.accept(new RestoreEvent.PodVolumesRestored(run.name, c.cluster(), pod, outcome.volumes(),
          outcome.completed(), outcome.bytes(), outcome.errors(), outcome.log(), clock.instant(), outcome.restored(),
          outcome.operations()));
    });
  }

  /**
   * Patches the volumes provisioned for restored claims off the reader thread and appends
   * VolumesPatched (reference 6.3 step 6); called with the run locked, once its waves are done.
   */
  void patchVolumes(RestoreRun run, RestoreRun.ClusterRun c, List<dev.rebound.model.pipeline.PersistentVolumePatch> patches) {
    if (c.volumePatchesStarted) {
      return;
    }
    c.volumePatchesStarted = true;
    workers.submit(() -> {
      dev.rebound.coordinator.volumes.PersistentVolumePatcher.Outcome outcome;
      try {
        outcome = new dev.rebound.coordinator.volumes.PersistentVolumePatcher(clusters.client(c.cluster()),
            config.resourceTimeout(), VOLUME_PATCH_POLL, clock, d -> Thread.sleep(d.toMillis()))
            .patch(patches, () -> {
              synchronized (run) {
                return c.stage() == ClusterFold.Stage.ENDED || !c.driven;
              }
            });
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // shutting down: the next start patches again
      } catch (RuntimeException e) {
        LOG.errorf(e, "restore %s: cannot patch the re-provisioned volumes", run.name);
        dev.rebound.model.velero.Result errors = dev.rebound.model.velero.Result.empty();
        for (var p : patches) {
          errors = errors.add(p.pvcNamespace(),
              dev.rebound.coordinator.volumes.PersistentVolumePatcher.failure(e.getMessage(), p));
        }
        outcome = new dev.rebound.coordinator.volumes.PersistentVolumePatcher.Outcome(errors, List.of());
      }
      if (outcome == null) {
        synchronized (run) {
          c.volumePatchesStarted = false; // released: whoever drives the restore patches again
        }
      } else {
        append.accept(new RestoreEvent.VolumesPatched(run.name, c.cluster(), patches.size(), outcome.errors(),
            outcome.log(), clock.instant()));
      }
    });
  }

  /** The restore's {@code itemOperationTimeout}, else the configured default (Velero's server flag). */
  private java.time.Duration itemOperationTimeout(RestoreRun run, RestoreRun.ClusterRun c) {
    String spec;
    synchronized (run) {
      var restoreSpec = c.spec(run.request);
      spec = restoreSpec == null ? null : restoreSpec.itemOperationTimeout();
    }
    if (spec == null || spec.isBlank()) {
      return config.defaultItemOperationTimeout();
    }
    try {
      long millis = dev.rebound.model.velero.GoDurations.parseMillis(spec);
      return millis > 0 ? java.time.Duration.ofMillis(millis) : config.defaultItemOperationTimeout();
    } catch (IllegalArgumentException e) {
      LOG.warnf("restore %s: itemOperationTimeout %s: %s; using %s", run.name, spec, e.getMessage(),
          config.defaultItemOperationTimeout());
      return config.defaultItemOperationTimeout();
    }
  }
}
