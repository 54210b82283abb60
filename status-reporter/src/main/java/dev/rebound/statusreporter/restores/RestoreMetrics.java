package dev.rebound.statusreporter.restores;

import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.statusreporter.metrics.MetricNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Velero's six restore metrics (reference 7), same names, types and {@code schedule} label, plus
 * Rebound's item and duration metrics. The values are folded from the whole restore log, so they
 * survive restarts of the status-reporter; the meters are registered only once the log's history
 * has been read, so a scrape never sees a counter go back to a partial value (which Prometheus
 * would take for a reset). Every instance folds the same values, but only one exports them at a
 * time ({@link RestoreBook}: the owner of the restore log's partition 0), so that a {@code sum()}
 * over instances is the truth: {@link #unbind} removes every meter, {@link #bind} registers them
 * again with the whole log's values.
 */
@ApplicationScoped
public class RestoreMetrics {

  /** Velero's counters and Rebound's canceled count, keyed by name then schedule. */
  static final List<String> VELERO_COUNTERS = List.of(MetricNames.RESTORE_ATTEMPT, MetricNames.RESTORE_VALIDATION_FAILED,
      MetricNames.RESTORE_FAILED, MetricNames.RESTORE_SUCCESS, MetricNames.RESTORE_PARTIAL_FAILURE,
      MetricNames.RESTORE_CANCELED);

  private final MeterRegistry registry;
  private final Map<String, Map<String, AtomicLong>> counters = new ConcurrentHashMap<>();
  private final Map<ItemAction, AtomicLong> items = new ConcurrentHashMap<>();
  private final AtomicLong restores = new AtomicLong();
  /** Every restore's duration so far, recorded again into a new timer at each {@link #bind}. */
  private final List<Duration> durations = new java.util.ArrayList<>();
  /** The meters registered while bound, removed by {@link #unbind}. */
  private final List<Meter> registered = new java.util.ArrayList<>();
  /** Restores that started and have not ended, by name, with their gauge once registered. */
  private final Map<String, InProgress> inProgress = new ConcurrentHashMap<>();
  private volatile boolean bound;
  private Timer duration;

  /** A started restore's gauge value; the gauge exists only while {@link #bound}. */
  private static final class InProgress {
    final String schedule;
    final double startSeconds;
    Gauge gauge;

    InProgress(String schedule, Instant start) {
      this.schedule = schedule;
      this.startSeconds = start.toEpochMilli() / 1000.0;
    }
  }

  RestoreMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (ItemAction a : ItemAction.values()) {
      items.put(a, new AtomicLong());
    }
  }

  void restoreCount(int count) {
    restores.set(count);
  }

  /** Velero counts an attempt for each New restore it processes, valid or not. */
  void attempted(String schedule) {
    counter(MetricNames.RESTORE_ATTEMPT, schedule).incrementAndGet();
  }

  void ended(String schedule, RestorePhase phase, Instant start, Instant completion) {
    String name = switch (phase) {
      case FAILED_VALIDATION -> MetricNames.RESTORE_VALIDATION_FAILED;
      case FAILED -> MetricNames.RESTORE_FAILED;
      case COMPLETED -> MetricNames.RESTORE_SUCCESS;
      case PARTIALLY_FAILED -> MetricNames.RESTORE_PARTIAL_FAILURE;
      case CANCELED -> MetricNames.RESTORE_CANCELED;
      default -> null;
    };
    if (name != null) {
      counter(name, schedule).incrementAndGet();
    }
    if (start != null && completion != null) {
      Duration d = Duration.between(start, completion);
      synchronized (this) {
        durations.add(d);
        if (bound) {
          duration.record(d);
        }
      }
    }
  }

  /**
   * A restore started (or its start or schedule changed): its {@value MetricNames#RESTORE_IN_PROGRESS_START_TIME}
   * series shows its start until {@link #notInProgress} is called.
   */
  synchronized void inProgress(String restore, String schedule, Instant start) {
    InProgress known = inProgress.get(restore);
    if (known != null && known.schedule.equals(schedule) && known.startSeconds == start.toEpochMilli() / 1000.0) {
      return;
    }
    notInProgress(restore);
    InProgress now = new InProgress(schedule, start);
    inProgress.put(restore, now);
    if (bound) {
      registerInProgress(restore, now);
    }
  }

  /** The restore ended: its in-progress series goes away (bounded by the restores running). */
  synchronized void notInProgress(String restore) {
    InProgress gone = inProgress.remove(restore);
    if (gone != null && gone.gauge != null) {
      registry.remove(gone.gauge);
      registered.remove(gone.gauge);
    }
  }

  private void registerInProgress(String restore, InProgress running) {
    running.gauge = Gauge.builder(MetricNames.RESTORE_IN_PROGRESS_START_TIME, () -> running.startSeconds)
        .strongReference(true)
        .description("Start time, in seconds since the epoch, of each restore that started and has not ended")
        .tags("restore", restore, "schedule", running.schedule)
        .register(registry);
    registered.add(running.gauge);
  }

  void items(ItemAction action, long count) {
    items.get(action).addAndGet(count);
  }

  private AtomicLong counter(String name, String schedule) {
    AtomicLong[] created = new AtomicLong[1];
    AtomicLong value = counters.computeIfAbsent(name, n -> new ConcurrentHashMap<>()).computeIfAbsent(schedule, s -> {
      created[0] = new AtomicLong();
      return created[0];
    });
    if (created[0] != null) {
      synchronized (this) {
        if (bound) {
          register(name, schedule, value);
        }
      }
    }
    return value;
  }

  /** Registers every meter with the values folded so far (called once the history is read). */
  synchronized void bind() {
    if (bound) {
      return;
    }
    // As Velero does at start: the ad-hoc series ({@code schedule=""}) exist from the beginning, at 0.
    VELERO_COUNTERS.forEach(n -> counters.computeIfAbsent(n, k -> new ConcurrentHashMap<>())
        .computeIfAbsent("", s -> new AtomicLong()));
    counters.forEach((name, bySchedule) -> bySchedule.forEach((schedule, value) -> register(name, schedule, value)));
    registered.add(Gauge.builder(MetricNames.RESTORE_TOTAL, restores, AtomicLong::get)
        .description("Current number of existent restores").register(registry));
    items.forEach((action, value) -> registered.add(FunctionCounter.builder(MetricNames.RESTORE_ITEMS, value,
        AtomicLong::get).description("Items restored, by what happened to them (Velero's resource list actions)")
        .tag("outcome", action.value()).register(registry)));
    duration = Timer.builder(MetricNames.RESTORE_DURATION)
        .description("Time from a restore's start to its completion")
        .serviceLevelObjectives(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(4))
        .register(registry);
    registered.add(duration);
    durations.forEach(duration::record);
    inProgress.forEach(this::registerInProgress);
    bound = true;
  }

  /** Removes every meter: another instance exports them now. The values go on being folded. */
  synchronized void unbind() {
    if (!bound) {
      return;
    }
    registered.forEach(registry::remove);
    registered.clear();
    inProgress.values().forEach(p -> p.gauge = null);
    duration = null;
    bound = false;
  }

  boolean bound() {
    return bound;
  }

  private void register(String name, String schedule, AtomicLong value) {
    registered.add(FunctionCounter.builder(name, value, AtomicLong::get).description(MetricNames.description(name))
        .tag("schedule", schedule).register(registry));
  }
}
