package dev.rebound.itemrestorer.kube;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Calls one target cluster again after a transient failure (no answer, 429, 500, 502, 503, 504),
 * with exponential backoff and jitter, honouring the server's Retry-After, for as long as the
 * current item's outage timeout allows; any other answer, and the last transient one once the
 * deadline has passed, is returned as it is.
 *
 * <p>The deadline is the outage timeout after the earlier of two instants: the item's own first
 * transient failure, and the start of the cluster's outage that the item met (the first transient
 * failure since the cluster last gave any other answer). So an item never waits longer than its
 * timeout in all, and once a cluster has been failing for longer than a restore's timeout, that
 * restore's items still queued for it fail at their first failure instead of waiting out a whole
 * timeout each, one batch of in-flight items after the other.
 */
public final class Retrying {

  /** Pauses the calling thread; tests pass one that moves a manual clock instead of sleeping. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /** The outage timeout of the item restored on the current thread, from {@link #item} until closed. */
  public interface ItemScope extends AutoCloseable {
    @Override
    void close();
  }

  /** The cluster's ongoing outage: its first and its latest transient failure. */
  private record Outage(Instant since, Instant last) {}

  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration quietGap;
  private final Duration defaultTimeout;
  private final Sleeper sleeper;
  private final Clock clock;
  private final AtomicReference<Outage> outage = new AtomicReference<>();
  private final ThreadLocal<ItemBudget> current = new ThreadLocal<>();
  private volatile Runnable onThrottled = () -> {};

  /**
   * @param quietGap failures further apart than this do not make one outage (nobody was asking in
   *     between, so the cluster may have been up): longer than the longest pause plus one request
   * @param defaultTimeout the outage timeout of a call made outside {@link #item}
   */
  public Retrying(Duration initialBackoff, Duration maxBackoff, Duration quietGap, Duration defaultTimeout,
      Sleeper sleeper, Clock clock) {
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.quietGap = quietGap;
    this.defaultTimeout = defaultTimeout;
    this.sleeper = sleeper;
    this.clock = clock;
  }

  /** Told of every 429 Too Many Requests the cluster answers (its lane lowers its concurrency). */
  public Retrying onThrottled(Runnable listener) {
    this.onThrottled = listener;
    return this;
  }

  /** Starts an item on this thread: its calls share one outage deadline until the scope is closed. */
  public ItemScope item(Duration outageTimeout) {
    current.set(new ItemBudget(outageTimeout));
    return current::remove;
  }

  /**
   * @throws Interruption when the thread is interrupted while calling or waiting: the item has no outcome
   */
  public ApiResponse call(Supplier<ApiResponse> request) {
    ItemBudget budget = current.get() != null ? current.get() : new ItemBudget(defaultTimeout);
    for (int attempt = 1; ; attempt++) {
      ApiResponse response = request.get();
      if (Thread.currentThread().isInterrupted()) {
        throw new Interruption("interrupted while calling the API server");
      }
      Instant now = clock.instant();
      if (!response.transientFailure()) {
        outage.set(null);
        return response;
      }
      if (response.code() == 429) {
        onThrottled.run();
      }
      Instant deadline = budget.failedAt(now, clusterOutageSince(now)).plus(budget.timeout);
      if (!now.isBefore(deadline)) {
        return response;
      }
      Duration pause = delay(attempt, response);
      Duration left = Duration.between(now, deadline);
      try {
        sleeper.sleep(pause.compareTo(left) > 0 ? left : pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Interruption("interrupted while waiting to call the API server again");
      }
    }
  }

  /** Records a transient failure of the cluster at {@code now}; the start of its ongoing outage. */
  private Instant clusterOutageSince(Instant now) {
    return outage.updateAndGet(o -> o == null || Duration.between(o.last(), now).compareTo(quietGap) > 0
        ? new Outage(now, now) : new Outage(o.since(), now.isAfter(o.last()) ? now : o.last())).since();
  }

  /** Retry-After when the server gave one (capped at the maximum), else initial x 2^(attempt-1) with jitter. */
  Duration delay(int attempt, ApiResponse response) {
    if (response.retryAfter().isPresent()) {
      Duration asked = response.retryAfter().get();
      return asked.compareTo(maxBackoff) > 0 ? maxBackoff : asked;
    }
    long base = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, maxBackoff.toMillis());
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  /** One item's outage clock. */
  private static final class ItemBudget {
    private final Duration timeout;
    private Instant start;

    ItemBudget(Duration timeout) {
      this.timeout = timeout;
    }

    /** The start of this item's outage clock, given a failure at {@code now} during the cluster's outage. */
    Instant failedAt(Instant now, Instant clusterSince) {
      if (start == null) {
        start = now;
      }
      if (clusterSince.isBefore(start)) {
        start = clusterSince;
      }
      return start;
    }
  }
}
