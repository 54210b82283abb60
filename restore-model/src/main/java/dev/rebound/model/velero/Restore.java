package dev.rebound.model.velero;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A {@code velero.io/v1} Restore, as users write it and as Velero reports it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record Restore(String apiVersion, String kind, ObjectMeta metadata, RestoreSpec spec, RestoreStatus status) {

  public static final String API_VERSION = "velero.io/v1";
  public static final String KIND = "Restore";

  private static final java.time.format.DateTimeFormatter NAME_TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

  /**
   * Velero's default restore name (reference 2.4): {@code <backup or schedule>-<YYYYMMDDhhmmss>} in
   * the given zone's local time.
   */
  public static String defaultName(String backupName, String scheduleName, java.time.Instant now,
      java.time.ZoneId zone) {
    String base = backupName != null && !backupName.isEmpty() ? backupName : scheduleName;
    return base + "-" + NAME_TIME.format(now.atZone(zone));
  }

  public static Restore of(ObjectMeta metadata, RestoreSpec spec) {
    return new Restore(API_VERSION, KIND, metadata, spec, null);
  }

  public String name() {
    return metadata == null ? null : metadata.name();
  }

  public Restore withMetadata(ObjectMeta newMetadata) {
    return new Restore(apiVersion, kind, newMetadata, spec, status);
  }

  public Restore withSpec(RestoreSpec newSpec) {
    return new Restore(apiVersion, kind, metadata, newSpec, status);
  }

  public Restore withStatus(RestoreStatus newStatus) {
    return new Restore(apiVersion, kind, metadata, spec, newStatus);
  }
}
