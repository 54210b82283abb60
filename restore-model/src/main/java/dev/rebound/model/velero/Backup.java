package dev.rebound.model.velero;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A {@code velero.io/v1} Backup as stored in {@code backups/<b>/velero-backup.json} (reference
 * 1.2): the fields a restore reads. Other fields of newer Velero versions are ignored on reading.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Backup(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status) {

  public static final String API_VERSION = "velero.io/v1";
  public static final String KIND = "Backup";
  /** Label naming the schedule that made a backup (reference 2.1, scheduleName). */
  public static final String SCHEDULE_NAME_LABEL = "velero.io/schedule-name";

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(
      List<String> includedNamespaces,
      List<String> excludedNamespaces,
      List<String> includedResources,
      List<String> excludedResources,
      LabelSelector labelSelector,
      Boolean includeClusterResources,
      Boolean snapshotVolumes,
      Boolean defaultVolumesToFsBackup,
      String storageLocation,
      List<String> volumeSnapshotLocations,
      String ttl) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(
      String phase,
      Integer version,
      String formatVersion,
      Instant expiration,
      Instant startTimestamp,
      Instant completionTimestamp,
      Integer warnings,
      Integer errors,
      Map<String, Integer> progress) {}

  public String name() {
    return metadata == null ? null : metadata.name();
  }

  public String phase() {
    return status == null ? null : status.phase();
  }

  public Instant startTimestamp() {
    return status == null ? null : status.startTimestamp();
  }

  public String scheduleName() {
    return metadata == null ? null : metadata.label(SCHEDULE_NAME_LABEL);
  }
}
