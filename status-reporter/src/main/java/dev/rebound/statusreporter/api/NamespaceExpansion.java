package dev.rebound.statusreporter.api;

import dev.rebound.model.filter.NamespacePatterns;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.storage.StorageLocations;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Expands a submitted restore's regular-expression namespaces ({@link NamespacePatterns}) against
 * the namespaces of the backup it restores (its resource list), so the stored Restore names them.
 * The backup is {@code spec.backupName}, or the latest {@code Completed} backup of
 * {@code spec.scheduleName}, as Velero's restore controller would choose it now.
 */
@ApplicationScoped
class NamespaceExpansion {

  private final StorageLocations locations;
  private final SchedulesResource schedules;

  NamespaceExpansion(StorageLocations locations, SchedulesResource schedules) {
    this.locations = locations;
    this.schedules = schedules;
  }

  /**
   * The restore with its patterns expanded (the same restore when it has none).
   *
   * @throws IllegalArgumentException a 400: an invalid expression, no backup to match against,
   *     patterns that match nothing
   * @throws IOException the bucket could not be read (503)
   */
  Restore expand(Restore restore) throws IOException {
    RestoreSpec spec = restore.spec();
    if (spec == null || !(NamespacePatterns.anyPattern(spec.includedNamespaces())
        || NamespacePatterns.anyPattern(spec.excludedNamespaces()))) {
      return restore;
    }
    String backup = spec.backupName() != null && !spec.backupName().isEmpty() ? spec.backupName()
        : spec.scheduleName() == null || spec.scheduleName().isEmpty() ? null
        : schedules.latestBackup(spec.scheduleName()).orElseThrow(() -> new IllegalArgumentException(
            "spec.includedNamespaces: regular expressions are matched against the backup's namespaces, and schedule "
                + spec.scheduleName() + " has no Completed backup"));
    if (backup == null) {
      throw new IllegalArgumentException("spec.includedNamespaces: regular expressions are matched against the "
          + "backup's namespaces: name a backup or a schedule");
    }
    // The backup's location (without BackupStorageLocations, the one configured store).
    Optional<StorageLocations.Location> location = locations.fromCluster() ? locations.withBackup(backup)
        : Optional.of(locations.all().get(0));
    Optional<com.fasterxml.jackson.databind.JsonNode> resourceList = location.isEmpty() ? Optional.empty()
        : StorageLocations.unavailableAs(location.get(), () -> location.get().store().resourceList(backup));
    Set<String> namespaces = NamespacePatterns.namespacesOf(resourceList.orElseThrow(
        () -> new IllegalArgumentException("spec.includedNamespaces: backup " + backup + " has no resource list ("
            + backup + "-resource-list.json.gz, written by Velero 1.1 and later, or the backup does not exist): its "
            + "namespaces cannot be matched by regular expressions; name them")));
    List<String> included = NamespacePatterns.anyPattern(spec.includedNamespaces())
        ? NamespacePatterns.expand("includedNamespaces", spec.includedNamespaces(), namespaces)
        : spec.includedNamespaces();
    List<String> excluded = NamespacePatterns.anyPattern(spec.excludedNamespaces())
        ? NamespacePatterns.expand("excludedNamespaces", spec.excludedNamespaces(), namespaces)
        : spec.excludedNamespaces();
    return restore.withSpec(spec.withNamespaces(included, excluded));
  }
}
