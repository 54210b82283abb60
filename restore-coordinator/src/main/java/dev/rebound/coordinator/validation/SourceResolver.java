package dev.rebound.coordinator.validation;

import dev.rebound.storage.BackupCatalog;
import dev.rebound.storage.StorageUnavailableException;
import dev.rebound.model.velero.Backup;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Steps 8 and 9 of reference 2.5: a {@code scheduleName} becomes its newest {@code Completed}
 * backup, then the backup must exist. Also the default restore name of reference 2.4.
 */
public final class SourceResolver {

  /** Velero's phase of a successful backup. */
  public static final String COMPLETED = "Completed";


  /**
   * @param backup the backup to restore, when found
   * @param scheduleName the schedule, given or read from the backup's label (for metrics)
   * @param errors validation errors in Velero's words; non-empty means FailedValidation
   */
  public record Resolution(Optional<Backup> backup, String scheduleName, List<String> errors) {}

  private final BackupCatalog catalog;
  private final String veleroNamespace;
  private final String storageLocation;

  /**
   * {@code veleroNamespace} appears in Velero's "can't find backup <ns>/<name>" message,
   * {@code storageLocation} (the BSL's name) in "The BSL <name> is unavailable".
   */
  public SourceResolver(BackupCatalog catalog, String veleroNamespace, String storageLocation) {
    this.catalog = catalog;
    this.veleroNamespace = veleroNamespace;
    this.storageLocation = storageLocation;
  }

  public Resolution resolve(String backupName, String scheduleName) {
    List<String> errors = new ArrayList<>();
    String name = backupName;
    if (scheduleName != null && !scheduleName.isEmpty()) {
      List<Backup> ofSchedule;
      try {
        ofSchedule = catalog.list().stream().filter(b -> scheduleName.equals(b.scheduleName())).toList();
      } catch (IOException e) {
        errors.add("Unable to list backups for schedule");
        return new Resolution(Optional.empty(), scheduleName, errors);
      }
      if (ofSchedule.isEmpty()) {
        errors.add("No backups found for schedule");
      }
      Optional<Backup> newest = mostRecentCompleted(ofSchedule);
      if (newest.isEmpty()) {
        errors.add("No completed backups found for schedule");
        return new Resolution(Optional.empty(), scheduleName, errors);
      }
      name = newest.get().name();
    }
    Optional<Backup> backup;
    try {
      backup = catalog.get(name);
    } catch (StorageUnavailableException e) {
      // Reference 2.5 step 10 in Velero's words, then what actually failed.
      errors.add("The BSL " + storageLocation + " is unavailable, cannot retrieve the backup");
      errors.add(e.getMessage());
      return new Resolution(Optional.empty(), scheduleName, errors);
    } catch (IOException e) {
      errors.add(cannotFind(name, e.getMessage()));
      return new Resolution(Optional.empty(), scheduleName, errors);
    }
    if (backup.isEmpty()) {
      errors.add(cannotFind(name, "backups.velero.io \"" + name + "\" not found"));
      return new Resolution(Optional.empty(), scheduleName, errors);
    }
    String schedule = scheduleName == null || scheduleName.isEmpty() ? backup.get().scheduleName() : scheduleName;
    return new Resolution(backup, schedule, errors);
  }

  /** Newest by {@code status.startTimestamp} (unset sorts as the zero time) whose phase is exactly Completed. */
  static Optional<Backup> mostRecentCompleted(List<Backup> backups) {
    return backups.stream()
        .sorted(Comparator.comparing((Backup b) -> b.startTimestamp() == null ? Instant.MIN : b.startTimestamp())
            .reversed())
        .filter(b -> COMPLETED.equals(b.phase()))
        .findFirst();
  }

  private String cannotFind(String name, String cause) {
    return cannotFind(veleroNamespace, name, cause);
  }

  /** Velero's message of reference 2.5 step 9. */
  public static String cannotFind(String veleroNamespace, String name, String cause) {
    return "Error retrieving backup: can't find backup " + veleroNamespace + "/" + name + ": " + cause;
  }
}
