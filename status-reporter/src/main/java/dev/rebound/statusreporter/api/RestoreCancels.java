package dev.rebound.statusreporter.api;

import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.statusreporter.auth.Identity;
import dev.rebound.statusreporter.config.StatusReporterConfig;
import dev.rebound.statusreporter.restores.RestoreBook;
import dev.rebound.statusreporter.restores.RestoreSummary;
import dev.rebound.statusreporter.restores.RestoreView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Optional;

/**
 * Cancelling a restore, whoever asks (the API's {@code cancel}, the {@value #CANCEL} annotation of a
 * Restore object): the checks and the wait for its end. The cancel itself is appended by
 * {@link RestoreIntake#requestCancel}, which a deletion of a running restore uses too.
 */
@ApplicationScoped
public class RestoreCancels {

  private final RestoreBook book;
  private final StatusReporterConfig config;
  private final RestoreIntake intake;

  RestoreCancels(RestoreBook book, StatusReporterConfig config, RestoreIntake intake) {
    this.book = book;
    this.config = config;
    this.intake = intake;
  }

  /**
   * Cancels a running restore (DESIGN, "Cancel"): appends {@code CancelRequested}, then waits up to
   * {@code rebound.status-reporter.cancel-wait} for the restore to end. The coordinator that drives it
   * starts nothing more and ends it {@code Canceled} once the items under way have their results;
   * nothing of it is created after that. {@code 200} with the ended Restore (Canceled, or the phase
   * it reached on its own first), {@code 202} with the running Restore (annotated
   * {@value RestoreView#CANCEL_REQUESTED_BY}) when it has not ended in that time, {@code 409} for an
   * ended restore that was not canceled, {@code 404} for none. A second cancel changes nothing.
   *
   * @param caller who asks; null for the {@code rebound.dev/cancel} annotation of a Restore object
   */
  public Response cancel(String name, Identity caller) {
    return cancel(name, caller, true);
  }

  /**
   * @param wait whether to wait for the restore's end ({@code rebound.status-reporter.cancel-wait});
   *     without, {@code 202} as soon as the cancel is in the log
   */
  public Response cancel(String name, Identity caller, boolean wait) {
    Optional<RestoreSummary> summary = book.summary(name);
    Optional<Restore> found = book.current(name);
    if (found.isEmpty()) {
      return KubeStatus.notFound(name);
    }
    Restore restore = found.get();
    Optional<Response> denied = intake.deniedCluster(caller, intake.targetClusters(restore.metadata()));
    if (denied.isPresent()) {
      return denied.get();
    }
    if (summary.isPresent()) {
      RestorePhase phase = restore.status() == null ? null : restore.status().phase();
      return phase == RestorePhase.CANCELED ? Response.ok(restore).build()
          : KubeStatus.failure(409, "Conflict", "restore " + name + " has already ended with phase "
              + (phase == null ? "" : phase.value()) + ": only a running restore can be canceled");
    }
    if (restore.metadata().uid() == null) {
      return KubeStatus.failure(409, "Conflict", "restore " + name + " has no metadata.uid (it was not submitted "
          + "through the API), so it cannot be canceled");
    }
    if (restore.metadata().annotation(RestoreView.CANCEL_REQUESTED_BY) == null) {
      Optional<Response> undecided = intake.requestCancel(restore, caller == null ? "the " + CANCEL
          + " annotation of Restore object " + config.veleroNamespace() + "/" + name : caller.username(), "");
      if (undecided.isPresent()) {
        return undecided.get();
      }
    }
    Optional<Restore> ended = awaitEnd(name, wait ? config.cancelWait() : Duration.ZERO);
    if (ended.isPresent()) {
      return Response.ok(ended.get()).build();
    }
    return Response.accepted(book.current(name).orElse(restore)).build();
  }

  /** The annotation that cancels a running Restore object: {@code "true"}. */
  public static final String CANCEL = "rebound.dev/cancel";

  /** The restore's Restore once it ended (its phase is terminal), within {@code wait}. */
  private Optional<Restore> awaitEnd(String name, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Optional<Restore> now = book.current(name);
      if (now.isEmpty() || (now.get().status() != null && now.get().status().phase() != null
          && now.get().status().phase().isTerminal())) {
        return now;
      }
      if (System.nanoTime() >= deadline) {
        return Optional.empty();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }
}
