package dev.rebound.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock that stands still until a test moves it, so waits and timeouts measured in minutes or
 * hours run in no time: pass {@link #advance} as the code's sleeper.
 */
public final class ManualClock extends Clock {

  private final Instant start;
  private volatile Instant now;

  public ManualClock(Instant start) {
    this.start = start;
    this.now = start;
  }

  /** Moves the clock on; a sleeper that sleeps no real time. */
  public void advance(Duration duration) {
    now = now.plus(duration);
  }

  /** Whole seconds since the start. */
  public long seconds() {
    return Duration.between(start, now).toSeconds();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
