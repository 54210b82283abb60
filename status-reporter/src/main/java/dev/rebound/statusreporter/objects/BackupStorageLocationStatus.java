package dev.rebound.statusreporter.objects;

import dev.rebound.model.velero.GoDurations;
import dev.rebound.statusreporter.auth.AuthConfig;
import dev.rebound.statusreporter.config.StatusReporterConfig;
import dev.rebound.statusreporter.restores.RestoreBook;
import dev.rebound.storage.StorageConfig;
import dev.rebound.storage.StorageLocations;
import dev.rebound.support.settings.ServiceSettings;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Velero's BackupStorageLocation validation (issue 14 scope 4, reference 1): each BSL of the Velero
 * namespace is checked every {@code spec.validationFrequency} (default
 * {@code rebound.storage.locations.validation-frequency}, 1m; {@code 0} disables it) as Velero's
 * {@code IsValid} does (its bucket and prefix listed, only Velero's top-level directories allowed),
 * and its status set as Velero sets it: {@code phase} {@code Available}, or {@code Unavailable} with
 * {@code message} {@code BackupStorageLocation "<name>" is unavailable: <error>}, and
 * {@code lastValidationTime}. Done by the leading status-reporter only, and only while no Velero
 * server runs its {@code backup-storage-location} controller (which would do the same).
 */
@Singleton
public class BackupStorageLocationStatus extends VeleroObjectWatch {

  private static final Logger LOG = Logger.getLogger(BackupStorageLocationStatus.class);
  static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder().withGroup("velero.io")
      .withVersion("v1").withPlural("backupstoragelocations").withKind("BackupStorageLocation").withNamespaced(true)
      .build();

  private final StorageLocations locations;
  private final StorageConfig storage;
  /** Per BSL, when this instance validated it last (the object's own time can lag a patch). */
  private final Map<String, Instant> validated = new HashMap<>();
  private final VeleroServerGuard.Watch guard;

  BackupStorageLocationStatus(StorageLocations locations, StorageConfig storage, StatusReporterConfig statusReporter,
      RestoreBook book, ServiceSettings settings, AuthConfig auth) {
    super(CONTEXT, storage.locations().namespace(), book, settings, auth);
    this.locations = locations;
    this.storage = storage;
    this.guard = new VeleroServerGuard.Watch("backup-storage-location", "its backup-storage-location controller, "
        + "which validates the BackupStorageLocations; Rebound leaves their status to it", "no Velero server "
        + "validates the BackupStorageLocations of namespace " + namespace + ": Rebound does");
  }

  @Override
  protected boolean enabled() {
    return storage.locations().enabled();
  }

  @Override
  protected Duration sweepInterval() {
    return Duration.ofSeconds(1);
  }

  @Override
  protected boolean ready(Instant now) {
    if (!book.leads()) {
      return false;
    }
    return guard.allows(client(), namespace, now, LOG);
  }

  @Override
  protected void gone(String name) {
    validated.remove(name);
  }

  @Override
  protected void handle(GenericKubernetesResource bsl, Instant now) {
    String name = bsl.getMetadata().getName();
    Map<String, Object> spec = map(bsl.getAdditionalProperties().get("spec"));
    Duration frequency = frequency(spec.get("validationFrequency"));
    if (frequency.isZero()) {
      return; // validation disabled for this location, as in Velero
    }
    Instant last = validated.get(name);
    if (last == null) {
      Object recorded = map(bsl.getAdditionalProperties().get("status")).get("lastValidationTime");
      last = recorded == null ? Instant.EPOCH : parse(String.valueOf(recorded));
    }
    if (now.isBefore(last.plus(frequency))) {
      return;
    }
    String problem = problem(name);
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("phase", problem == null ? "Available" : "Unavailable");
    status.put("lastValidationTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
    status.put("message", problem == null ? null : "BackupStorageLocation \"" + name + "\" is unavailable: " + problem);
    Map<String, Object> patch = new HashMap<>();
    patch.put("status", status);
    patch(name, patch);
    validated.put(name, now);
    String before = String.valueOf(map(bsl.getAdditionalProperties().get("status")).get("phase"));
    if (!before.equals(status.get("phase"))) {
      LOG.infof("BackupStorageLocation %s/%s is %s%s", namespace, name, status.get("phase"),
          problem == null ? "" : ": " + problem);
    }
  }

  /** Why the location cannot be used now, or null when its store is valid. */
  private String problem(String name) {
    try {
      Optional<StorageLocations.Location> location = locations.named(name);
      if (location.isEmpty()) {
        return "not found (yet) among the BackupStorageLocations read";
      }
      if (location.get().store() == null) {
        return location.get().message();
      }
      location.get().store().validate();
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  private Duration frequency(Object value) {
    if (value == null || String.valueOf(value).isBlank()) {
      return storage.locations().validationFrequency();
    }
    try {
      long millis = GoDurations.parseMillis(String.valueOf(value));
      return millis < 0 ? storage.locations().validationFrequency() : Duration.ofMillis(millis);
    } catch (IllegalArgumentException e) {
      return storage.locations().validationFrequency();
    }
  }

  private static Instant parse(String time) {
    try {
      return Instant.parse(time);
    } catch (java.time.format.DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }
}
