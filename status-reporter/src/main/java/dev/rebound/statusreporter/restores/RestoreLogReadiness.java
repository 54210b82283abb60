package dev.rebound.statusreporter.restores;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The status-reporter is ready once it has read the restore log's history: before that its API
 * answers 503 and its metrics are not registered, so a load balancer (or the local stack) must not
 * send it traffic yet.
 */
@Readiness
@ApplicationScoped
public class RestoreLogReadiness implements HealthCheck {

  private final RestoreBook book;

  RestoreLogReadiness(RestoreBook book) {
    this.book = book;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("restore-log").status(book.historyRead())
        .withData("history", book.historyRead() ? "read" : "still being read").build();
  }
}
