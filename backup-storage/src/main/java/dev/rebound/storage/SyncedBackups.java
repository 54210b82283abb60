package dev.rebound.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.velero.Labels;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/**
 * A stored {@code velero-backup.json} as Velero's backup sync would show it in the cluster
 * (reference 1.6, steps 4 and 5): Rebound has no Backup custom resources, so listing backups
 * applies the sync's rules to what is in the bucket instead of copying it into a cluster.
 */
public final class SyncedBackups {

  /** Label naming the backup storage location a synced backup came from. */
  public static final String STORAGE_LOCATION_LABEL = "velero.io/storage-location";

  /** Phases in which the sync leaves a backup out while it has not expired (step 4). */
  private static final Set<String> UNFINISHED = Set.of("WaitingForPluginOperations",
      "WaitingForPluginOperationsPartiallyFailed", "Finalizing", "FinalizingPartiallyFailed");

  private SyncedBackups() {}

  /**
   * The backup as the sync would create it, or empty when the sync skips it: an unfinished phase
   * whose {@code status.expiration} is absent or in the future. An unfinished backup that has
   * expired shows as {@code PartiallyFailed}. The namespace becomes Velero's, the
   * {@code resourceVersion} goes, {@code spec.storageLocation} and the
   * {@code velero.io/storage-location} label name this location, and owner references to
   * Schedules go (there are no Schedule objects here for them to point at).
   */
  public static Optional<ObjectNode> synced(ObjectNode stored, String veleroNamespace, String locationName,
      Instant now) {
    ObjectNode backup = stored.deepCopy();
    ObjectNode status = backup.with("status");
    String phase = status.path("phase").asText("");
    if (UNFINISHED.contains(phase)) {
      Instant expiration = instant(status.path("expiration"));
      if (expiration == null || expiration.isAfter(now)) {
        return Optional.empty();
      }
      status.put("phase", "PartiallyFailed");
    }
    if (status.isEmpty()) {
      backup.remove("status");
    }
    ObjectNode metadata = backup.with("metadata");
    metadata.put("namespace", veleroNamespace);
    metadata.remove("resourceVersion");
    metadata.with("labels").put(STORAGE_LOCATION_LABEL, Labels.validValue(locationName));
    JsonNode owners = metadata.path("ownerReferences");
    if (owners instanceof ArrayNode list) {
      for (int i = list.size() - 1; i >= 0; i--) {
        if ("Schedule".equals(list.get(i).path("kind").asText())) {
          list.remove(i);
        }
      }
      if (list.isEmpty()) {
        metadata.remove("ownerReferences");
      }
    }
    backup.with("spec").put("storageLocation", locationName);
    return Optional.of(backup);
  }

  private static Instant instant(JsonNode node) {
    if (!node.isTextual()) {
      return null;
    }
    try {
      return Instant.parse(node.asText());
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
