package dev.rebound.itemrestorer.kube;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Calls the API server again after a transient failure (no answer, 429, 500, 502, 503, 504), with
 * exponential backoff and jitter, honouring the server's Retry-After; any other answer, and the
 * last transient one once the attempts are used up, is returned as it is.
 */
public final class Retrying {

  /** Pauses the calling thread; tests pass one that records instead of sleeping. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Sleeper sleeper;

  public Retrying(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Sleeper sleeper) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts must be at least 1: " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.sleeper = sleeper;
  }

  public ApiResponse call(Supplier<ApiResponse> request) {
    ApiResponse response = request.get();
    for (int attempt = 1; attempt < maxAttempts && response.transientFailure(); attempt++) {
      try {
        sleeper.sleep(delay(attempt, response));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return response;
      }
      response = request.get();
    }
    return response;
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
}
