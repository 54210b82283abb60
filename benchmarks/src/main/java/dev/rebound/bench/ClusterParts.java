package dev.rebound.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.examplerestore.RestoreApi;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Follows a restore into several clusters through {@code GET /api/v1/restores/{name}/clusters}
 * (each target cluster's part), printing a line of every part's progress every few seconds, and
 * optionally acting once (for example taking a cluster down) when the parts reach a condition.
 */
final class ClusterParts {

  private static final Set<String> ENDED = Set.of("Completed", "PartiallyFailed", "Failed", "FailedValidation",
      "Canceled");
  private static final long POLL_MILLIS = 500;

  private ClusterParts() {}

  /** One target cluster's part of a restore, as the status-reporter reports it. */
  record Part(String cluster, String phase, int total, int restored, int errors, String failureReason,
      String completion) {
    static Part of(JsonNode p) {
      return new Part(p.path("cluster").asText(), p.path("phase").asText(), p.path("totalItems").asInt(),
          p.path("itemsRestored").asInt(), p.path("errors").asInt(),
          p.hasNonNull("failureReason") ? p.path("failureReason").asText() : null,
          p.hasNonNull("completionTimestamp") ? p.path("completionTimestamp").asText() : null);
    }
  }

  /**
   * How a followed restore ended: the Restore, its parts at the end, and when the action ran (seconds
   * after the restore was submitted, -1 if never) with the parts then.
   */
  record Followed(JsonNode restore, List<Part> parts, double actedAt, List<Part> partsWhenActed) {
    JsonNode status() {
      return restore.path("status");
    }

    Part part(String cluster) {
      return parts.stream().filter(p -> p.cluster().equals(cluster)).findFirst()
          .orElseThrow(() -> new IllegalStateException("no part for cluster " + cluster + ": " + parts));
    }
  }

  static List<Part> read(RestoreApi api, String name) throws IOException, InterruptedException {
    RestoreApi.Answer answer = api.get(name, "clusters");
    if (answer.status() != 200) {
      throw new IOException("GET clusters of " + name + ": HTTP " + answer.status() + " " + answer.body());
    }
    List<Part> parts = new ArrayList<>();
    answer.json().forEach(p -> parts.add(Part.of(p)));
    return parts;
  }

  static int restored(List<Part> parts) {
    return parts.stream().mapToInt(Part::restored).sum();
  }

  /**
   * Polls the restore until it ends, printing every part's progress every {@code printEvery}; runs
   * {@code action} once, the first time {@code when} holds for the parts.
   */
  static Followed follow(RestoreApi api, String name, Duration timeout, Duration printEvery,
      Predicate<List<Part>> when, Runnable action) throws IOException, InterruptedException {
    long submitted = System.nanoTime();
    long nextPrint = submitted + printEvery.toNanos();
    double actedAt = -1;
    List<Part> partsWhenActed = List.of();
    while (true) {
      RestoreApi.Answer answer = api.get(name, "");
      if (answer.status() != 200) {
        throw new IOException("GET restore " + name + ": HTTP " + answer.status() + " " + answer.body());
      }
      JsonNode restore = answer.json();
      String phase = restore.path("status").path("phase").asText();
      List<Part> parts = read(api, name);
      long now = System.nanoTime();
      double elapsed = (now - submitted) / 1e9;
      if (actedAt < 0 && action != null && !parts.isEmpty() && when.test(parts)) {
        action.run();
        actedAt = elapsed;
        partsWhenActed = parts;
        System.out.printf("  %5.1f s: acted at %,d items restored: %s%n", elapsed, restored(parts), line(parts));
      }
      if (ENDED.contains(phase)) {
        List<Part> last = read(api, name); // the parts as they ended
        System.out.printf("  %5.1f s: %s %s%n", elapsed, phase, line(last));
        return new Followed(restore, last, actedAt, partsWhenActed);
      }
      if (now >= nextPrint) {
        System.out.printf("  %5.1f s: %s %s%n", elapsed, phase, line(parts));
        nextPrint += printEvery.toNanos();
      }
      if (elapsed > timeout.toSeconds()) {
        throw new IOException("restore " + name + " did not end within " + timeout + "; parts: " + parts);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /** {@code c0 340/1010 c1 1010/1010 Completed ... (3,402 of 10,100)}. */
  static String line(List<Part> parts) {
    StringBuilder s = new StringBuilder();
    int total = 0;
    for (Part p : parts) {
      s.append(p.cluster()).append(' ').append(p.restored()).append('/').append(p.total());
      if (!p.phase().equals("InProgress")) {
        s.append(' ').append(p.phase());
      }
      if (p.errors() > 0) {
        s.append(" (").append(p.errors()).append(" errors)");
      }
      s.append("  ");
      total += p.total();
    }
    return s.append(String.format("(%,d of %,d)", restored(parts), total)).toString();
  }

  /** Seconds from the restore's start until every part of {@code clusters} completed; NaN if one did not. */
  static double secondsUntilComplete(Followed f, List<String> clusters) {
    String start = f.status().path("startTimestamp").asText();
    double latest = 0;
    for (String c : clusters) {
      Part p = f.part(c);
      if (p.completion() == null) {
        return Double.NaN;
      }
      latest = Math.max(latest, BenchRestores.seconds(start, p.completion()));
    }
    return latest;
  }

  static int restored(Followed f, List<String> clusters) {
    return clusters.stream().mapToInt(c -> f.part(c).restored()).sum();
  }
}
