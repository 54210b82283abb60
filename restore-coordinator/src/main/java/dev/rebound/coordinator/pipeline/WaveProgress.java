package dev.rebound.coordinator.pipeline;

import dev.rebound.coordinator.config.CoordinatorConfig;
import dev.rebound.model.validation.OutageTimeouts;
import dev.rebound.model.pipeline.ClusterFold;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.RestorePhase;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * No restore hangs: a wave that goes without a new result for the wave progress timeout ends its
 * restore run Failed, naming the items that have none (DESIGN, "No hung restores").
 */
final class WaveProgress {

  private static final Logger LOG = Logger.getLogger(WaveProgress.class);

  private final CoordinatorConfig config;
  /** Appends the run's Failed ending. */
  private final Consumer<RestoreEvent.Finished> end;

  WaveProgress(CoordinatorConfig config, Consumer<RestoreEvent.Finished> end) {
    this.config = config;
    this.end = end;
  }

  /**
   * Ends, Failed, a driven run whose current wave had no new result for the wave progress timeout,
   * naming the items without one: a lost task or an item no item-restorer takes never hangs the
   * restore. Reader thread.
   */
  void endIfStalled(RestoreRun run, java.time.Instant now) {
    synchronized (run) {
      for (RestoreRun.ClusterRun c : run.clusters.values()) {
        if (!c.driven || c.stage() != ClusterFold.Stage.RUNNING || c.finishing || c.wavesDone
            || c.currentWave() < 0 || c.currentWave() >= c.waves().size() || c.currentWaveComplete() || c.progressAt == null
            || !now.isAfter(c.progressAt.plus(progressTimeout(run)))) {
          continue;
        }
        RestoreEvent.WaveSummary wave = c.waves().get(c.currentWave());
        Set<ItemKey> done = c.resultsOf(c.currentWave());
        // The keys of the wave this process published; a wave it never got to publish lacks them all.
        List<ItemKey> missing = c.waveKeys == null || c.waveKeys.wave() != c.currentWave() ? List.of()
            : c.waveKeys.keys().stream().filter(k -> !done.contains(k)).sorted(KEY_ORDER).toList();
        String reason = stallReason(wave, Math.max(0, wave.items() - done.size()), missing, progressTimeout(run));
        LOG.errorf("restore %s, cluster %s: %s", run.name, c.cluster(), reason);
        c.finishing = true;
        RestoreEvent.Finished failed = new RestoreEvent.Finished(run.name, c.cluster(), RestorePhase.FAILED, reason, now);
        end.accept(failed);
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

  private static final java.util.Comparator<ItemKey> KEY_ORDER = java.util.Comparator.comparing(ItemKey::resource)
      .thenComparing(ItemKey::namespace).thenComparing(ItemKey::name);

  /**
   * "wave 3 (configmaps) made no progress for 30m0s; 2 of 200 items have no result: v1/ConfigMap shop/a, ..."
   *
   * @param withoutResult how many of the wave's items have no result
   * @param missing those of them whose keys are known, in order
   */
  static String stallReason(RestoreEvent.WaveSummary wave, int withoutResult, List<ItemKey> missing,
      java.time.Duration timeout) {
    int shown = Math.min(missing.size(), 20);
    String names = String.join(", ", missing.subList(0, shown).stream().map(ItemKey::toString).toList());
    return "wave " + wave.index() + " (" + wave.name() + ") made no progress for "
        + dev.rebound.model.velero.GoDurations.format(timeout.toMillis()) + "; " + withoutResult + " of " + wave.items()
        + " items have no result" + (shown == 0 ? "" : ": " + names + (missing.size() > shown ? " and "
        + (missing.size() - shown) + " more" : ""));
  }
}
