package dev.rebound.itemrestorer.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How many of one cluster's items this instance restores at the same time: at most the lane's
 * threads, halved when the cluster's API server answers 429 Too Many Requests (at most once per
 * {@code calm}, so one burst of 429s halves it once), and grown back by one for every
 * {@code limit} items finished (additive increase, multiplicative decrease, as TCP does with its
 * window). A cluster that throttles gets fewer requests at a time from this instance; the others
 * are not affected.
 *
 * <p>Only 429 lowers it: an unanswered request or a 5xx says nothing about load, and a cluster
 * that is down must keep enough items probing it that a backlog fails in one outage timeout,
 * not in many (DESIGN, "Outages wait").
 */
final class ClusterLimit {

  private final int max;
  private final Duration calm;
  private final Clock clock;
  private double limit;
  private int inUse;
  private Instant lastCut;

  ClusterLimit(int max, Duration calm, Clock clock) {
    if (max < 1) {
      throw new IllegalArgumentException("max-concurrency-per-cluster must be at least 1, was " + max);
    }
    this.max = max;
    this.calm = calm;
    this.clock = clock;
    this.limit = max;
  }

  /** Waits until one more item may be under way. */
  synchronized void acquire() throws InterruptedException {
    while (inUse >= current()) {
      wait();
    }
    inUse++;
  }

  /** An item finished: its place is free, and the limit grows by 1/limit towards the maximum. */
  synchronized void release() {
    inUse--;
    if (limit < max) {
      limit = Math.min(max, limit + 1.0 / limit);
    }
    notifyAll();
  }

  /** The cluster answered 429: the limit is halved, unless it was within the last {@code calm}. */
  synchronized void throttled() {
    Instant now = clock.instant();
    if (lastCut == null || Duration.between(lastCut, now).compareTo(calm) >= 0) {
      limit = Math.max(1, limit / 2);
      lastCut = now;
    }
  }

  /** The items that may be under way now. */
  synchronized int current() {
    return Math.max(1, (int) limit);
  }
}
