package dev.rebound.support.settings;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code configuration}: DOWN until every setting has been found valid, with one
 * data entry per wrong property, {@code "<ENV_VAR>: <problem>"}. Once the service takes work, a
 * setting that goes wrong later (a bucket deleted, the broker down) is still listed in the data
 * and logged, but the check stays UP: the work in progress reports such failures as Velero does
 * (for example "error uploading log file to backup storage"), and the API keeps answering.
 */
@Readiness
@ApplicationScoped
public class SettingsReadiness implements HealthCheck {

  private final ServiceSettings settings;

  SettingsReadiness(ServiceSettings settings) {
    this.settings = settings;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("configuration").up();
    if (!settings.checked()) {
      return response.down().withData("checks", "not run yet").build();
    }
    Map<String, String> data = new LinkedHashMap<>();
    for (SettingProblem p : settings.problems()) {
      data.merge(p.property(), p.envVar() + ": " + p.problem(), (a, b) -> a + "; " + b.substring(b.indexOf(": ") + 2));
    }
    if (!data.isEmpty()) {
      response.status(settings.valid());
      data.forEach(response::withData);
    } else {
      response.withData("checks", String.join(", ", settings.checkNames()) + ": valid");
    }
    return response.build();
  }
}
