package dev.rebound.model.validation;

import dev.rebound.model.velero.GoDurations;
import dev.rebound.model.velero.Restore;
import java.time.Duration;
import java.util.Optional;

/**
 * A restore's outage timeout: how long its items wait out a target cluster that does not answer,
 * answers 429 or a server error, before they fail with the last error. The Restore's annotation
 * {@value #ANNOTATION} sets it as a Go duration (Velero's durations: {@code 90s}, {@code 1h30m});
 * without it the coordinator's {@code default-outage-timeout} applies.
 */
public final class OutageTimeouts {

  /** Extension: the restore's outage timeout, a positive Go duration. */
  public static final String ANNOTATION = "rebound.dev/outage-timeout";

  private OutageTimeouts() {}

  /** The validation error of the annotation, in the words of Velero's validation errors; empty when valid or absent. */
  public static Optional<String> validate(Restore restore) {
    String value = value(restore);
    if (value == null) {
      return Optional.empty();
    }
    long millis;
    try {
      millis = GoDurations.parseMillis(value);
    } catch (IllegalArgumentException e) {
      return Optional.of("Invalid annotation " + ANNOTATION + ": " + e.getMessage());
    }
    if (millis <= 0) {
      return Optional.of("Invalid annotation " + ANNOTATION + ": \"" + value + "\" is not a positive duration");
    }
    return Optional.empty();
  }

  /** The restore's outage timeout: the annotation's when it is valid, else {@code fallback}. */
  public static Duration of(Restore restore, Duration fallback) {
    String value = value(restore);
    if (value == null || validate(restore).isPresent()) {
      return fallback;
    }
    return Duration.ofMillis(GoDurations.parseMillis(value));
  }

  private static String value(Restore restore) {
    return restore == null || restore.metadata() == null ? null : restore.metadata().annotation(ANNOTATION);
  }
}
