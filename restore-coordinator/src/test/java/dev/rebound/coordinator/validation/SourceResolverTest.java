package dev.rebound.coordinator.validation;

import dev.rebound.storage.BackupCatalog;
import dev.rebound.storage.StorageUnavailableException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.model.velero.Backup;
import dev.rebound.model.velero.ObjectMeta;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reference 2.4 and 2.5 steps 8-9: schedules, backup lookup and the default restore name. */
class SourceResolverTest {

  static Backup backup(String name, String schedule, String phase, String start) {
    Map<String, String> labels = schedule == null ? null : Map.of(Backup.SCHEDULE_NAME_LABEL, schedule);
    return new Backup(Backup.API_VERSION, Backup.KIND,
        new ObjectMeta(name, "velero", null, null, null, labels, null), null,
        new Backup.Status(phase, 1, "1.1.0", null, start == null ? null : Instant.parse(start), null, null, null, null));
  }

  record Catalog(List<Backup> backups) implements BackupCatalog {
    @Override
    public List<Backup> list() {
      return backups;
    }

    @Override
    public Optional<Backup> get(String name) {
      return backups.stream().filter(b -> b.name().equals(name)).findFirst();
    }
  }

  private static final List<Backup> BACKUPS = List.of(
      backup("daily-1", "daily", "Completed", "2026-11-20T02:00:00Z"),
      backup("daily-2", "daily", "Completed", "2026-11-21T02:00:00Z"),
      backup("daily-3", "daily", "PartiallyFailed", "2026-11-22T02:00:00Z"),
      backup("weekly-1", "weekly", "Failed", "2026-11-22T02:00:00Z"),
      backup("manual", null, "Completed", "2026-11-22T01:00:00Z"));

  private final SourceResolver resolver = new SourceResolver(new Catalog(BACKUPS), "velero", "default");

  @Test
  void scheduleResolvesToItsNewestCompletedBackupNotANewerPartiallyFailedOne() {
    SourceResolver.Resolution r = resolver.resolve(null, "daily");
    assertEquals("daily-2", r.backup().orElseThrow().name());
    assertEquals("daily", r.scheduleName());
    assertEquals(List.of(), r.errors());
  }

  @Test
  void scheduleWithNoBackupsGivesBothVeleroMessages() {
    assertEquals(List.of("No backups found for schedule", "No completed backups found for schedule"),
        resolver.resolve(null, "hourly").errors());
  }

  @Test
  void scheduleWithNoCompletedBackupFails() {
    assertEquals(List.of("No completed backups found for schedule"), resolver.resolve(null, "weekly").errors());
  }

  @Test
  void backupWithoutStartTimestampSortsAsTheOldest() {
    List<Backup> backups = List.of(backup("a", "s", "Completed", null), backup("b", "s", "Completed", "2020-01-01T00:00:00Z"));
    assertEquals("b", SourceResolver.mostRecentCompleted(backups).orElseThrow().name());
  }

  @Test
  void missingBackupGivesVelerosNotFoundMessage() {
    assertEquals(List.of("Error retrieving backup: can't find backup velero/nope: backups.velero.io \"nope\" not found"),
        resolver.resolve("nope", null).errors());
  }

  @Test
  void namedBackupFillsTheScheduleNameFromItsLabelAndAnyPhaseIsAccepted() {
    assertEquals("weekly", resolver.resolve("weekly-1", null).scheduleName());
    assertTrue(resolver.resolve("weekly-1", null).errors().isEmpty(), "2.4: no phase check on a named backup");
    assertEquals(null, resolver.resolve("manual", null).scheduleName());
  }

  @Test
  void storageErrorsAreValidationErrorsNotCrashes() {
    BackupCatalog broken = new BackupCatalog() {
      @Override
      public List<Backup> list() throws IOException {
        throw new IOException("connection refused");
      }

      @Override
      public Optional<Backup> get(String name) throws IOException {
        throw new IOException("connection refused");
      }
    };
    SourceResolver r = new SourceResolver(broken, "velero", "default");
    assertEquals(List.of("Unable to list backups for schedule"), r.resolve(null, "daily").errors());
    assertEquals(List.of("Error retrieving backup: can't find backup velero/b: connection refused"),
        r.resolve("b", null).errors());
  }

  @Test
  void unreachableStorageIsVelerosBslUnavailableMessageThenTheCause() {
    BackupCatalog unreachable = new BackupCatalog() {
      @Override
      public List<Backup> list() throws IOException {
        throw new StorageUnavailableException("cannot list s3://velero/backups/: connection refused", null);
      }

      @Override
      public Optional<Backup> get(String name) throws IOException {
        throw new StorageUnavailableException("cannot read s3://velero/backups/b/velero-backup.json: connection refused", null);
      }
    };
    assertEquals(List.of("The BSL primary is unavailable, cannot retrieve the backup",
        "cannot read s3://velero/backups/b/velero-backup.json: connection refused"),
        new SourceResolver(unreachable, "velero", "primary").resolve("b", null).errors());
  }

  @Test
  void defaultNameIsSourceDashLocalTimestamp() {
    Instant now = Instant.parse("2024-03-21T19:21:54Z");
    assertEquals("backup-1-20240321192154", dev.rebound.model.velero.Restore.defaultName("backup-1", null, now, ZoneOffset.UTC));
    assertEquals("daily-20240321212154", dev.rebound.model.velero.Restore.defaultName("", "daily", now, ZoneOffset.ofHours(2)));
  }
}
