package dev.rebound.itemrestorer.prepare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.velero.Labels;
import java.util.Set;

/**
 * The steps of Velero's per-item restore that are the same for every item (reference 3.6): what
 * the source cluster set on the object is removed, and the restore's labels are added. Pure
 * transforms of the item's JSON, changing it in place.
 */
public final class ItemPreparation {

  /**
   * Fields the source cluster's API server owns (3.6 step 7): the target assigns its own uid,
   * resourceVersion, generation and timestamps; owner references point at uids that do not exist
   * there. {@code name}, {@code namespace}, labels, annotations, finalizers and managedFields stay.
   */
  static final Set<String> SERVER_SET_METADATA = Set.of("generateName", "selfLink", "uid", "resourceVersion",
      "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences");

  private ItemPreparation() {}

  /**
   * Velero's {@code resetMetadataAndStatus}: removes the server-set metadata and the whole
   * {@code status} (restored separately only when asked, 3.6 step 17).
   *
   * @throws IllegalArgumentException "metadata not found" or "metadata was of type ..., expected an object"
   */
  public static void resetMetadataAndStatus(ObjectNode item) {
    JsonNode metadata = item.get("metadata");
    if (metadata == null) {
      throw new IllegalArgumentException("metadata not found");
    }
    if (!metadata.isObject()) {
      throw new IllegalArgumentException("metadata was of type " + metadata.getNodeType().name().toLowerCase()
          + ", expected an object");
    }
    ((ObjectNode) metadata).remove(SERVER_SET_METADATA);
    item.remove("status");
  }

  /**
   * Adds {@code velero.io/backup-name} and {@code velero.io/restore-name} (3.6 step 12), their
   * values made label-safe; existing labels are kept, these two overwritten.
   */
  public static void addRestoreLabels(ObjectNode item, String restoreName, String backupName) {
    ObjectNode labels = item.with("metadata").with("labels");
    labels.put(Labels.BACKUP_NAME, Labels.validValue(backupName));
    labels.put(Labels.RESTORE_NAME, Labels.validValue(restoreName));
  }
}
