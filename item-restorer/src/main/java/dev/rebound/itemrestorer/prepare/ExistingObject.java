package dev.rebound.itemrestorer.prepare;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.velero.Labels;

/**
 * What to do when the object to restore already exists in the target cluster (reference 3.8),
 * decided from the desired object (prepared, labelled) and the in-cluster one. A ServiceAccount
 * that differs is always merged, whatever the policy.
 */
public final class ExistingObject {

  /** {@code spec.existingResourcePolicy}: unset, {@code none} or {@code update}. */
  public enum Policy {
    UNSET, NONE, UPDATE;

    public static Policy of(String value) {
      if (value == null || value.isEmpty()) {
        return UNSET;
      }
      return switch (value) {
        case "none" -> NONE;
        case "update" -> UPDATE;
        default -> throw new IllegalArgumentException("Invalid ExistingResourcePolicy: " + value);
      };
    }
  }

  /** The outcome for one existing object. */
  public sealed interface Decision {
    /**
     * The object carries this restore's {@code velero.io/restore-name} label: an earlier delivery
     * of the same item created it, so it counts as created once, not as "already exists".
     */
    record RestoredByThisRestore() implements Decision {}

    /** Same as the backup, nothing to do: Velero records the item {@code skipped}, with no warning. */
    record Unchanged() implements Decision {}

    /**
     * Different, not updated: {@code skipped} with Velero's warning text; {@code diff} is the merge
     * patch from the live object to the desired one (what an update would send, shown by a dry run).
     */
    record Different(String warning, ObjectNode diff) implements Decision {}

    /** Policy update and the object differs: apply this merge patch ({@code updated}). */
    record Update(ObjectNode mergePatch) implements Decision {}

    /** Policy update and the object is the same: only patch the restore labels onto it. */
    record LabelOnly() implements Decision {}

    /**
     * A ServiceAccount that differs: apply this merge patch ({@code updated}); when it fails, a
     * warning, and with policy update the restore labels alone.
     */
    record MergeServiceAccount(ObjectNode mergePatch, Policy policy) implements Decision {}
  }

  private ExistingObject() {}

  /**
   * @param desired the item as it would be created: metadata reset, restore labels added
   * @param inCluster the object read from the target cluster (not modified)
   */
  public static Decision decide(ObjectNode desired, ObjectNode inCluster, Policy policy, String restoreName) {
    return decide(desired, inCluster, policy, restoreName, false);
  }

  /** @param serviceAccount whether the object is a core ServiceAccount (merged, reference 3.8) */
  public static Decision decide(ObjectNode desired, ObjectNode inCluster, Policy policy, String restoreName,
      boolean serviceAccount) {
    String ours = Labels.validValue(restoreName);
    if (ours.equals(inCluster.path("metadata").path("labels").path(Labels.RESTORE_NAME).asText(null))) {
      return new Decision.RestoredByThisRestore();
    }
    // Velero compares after giving the in-cluster copy the same reset and the desired labels.
    ObjectNode comparable = inCluster.deepCopy();
    ItemPreparation.resetMetadataAndStatus(comparable);
    var desiredLabels = desired.path("metadata").path("labels");
    ItemPreparation.addRestoreLabels(comparable, desiredLabels.path(Labels.RESTORE_NAME).asText(restoreName),
        desiredLabels.path(Labels.BACKUP_NAME).asText(""));
    boolean same = comparable.equals(desired);
    if (serviceAccount && !same) {
      ObjectNode patch = MergePatch.create(comparable, ServiceAccountMerge.merge(comparable, desired));
      return patch.isEmpty() ? new Decision.Unchanged() : new Decision.MergeServiceAccount(patch, policy);
    }
    String kind = desired.path("kind").asText();
    String name = desired.path("metadata").path("name").asText();
    if (same) {
      return policy == Policy.UPDATE ? new Decision.LabelOnly() : new Decision.Unchanged();
    }
    ObjectNode patch = MergePatch.create(withoutRestoreLabels(comparable), desired);
    return switch (policy) {
      case UPDATE -> new Decision.Update(patch);
      case NONE -> new Decision.Different("could not restore, " + kind + " \"" + name
          + "\" already exists. Warning: the in-cluster version is different than the backed-up version", patch);
      case UNSET -> new Decision.Different("could not restore, " + kind + ":" + name
          + " already exists. Warning: the in-cluster version is different than the backed-up version", patch);
    };
  }

  /** Velero removes the restore labels from the in-cluster copy before computing the update patch. */
  private static ObjectNode withoutRestoreLabels(ObjectNode item) {
    ObjectNode copy = item.deepCopy();
    if (copy.path("metadata").path("labels").isObject()) {
      ((ObjectNode) copy.get("metadata").get("labels")).remove(java.util.List.of(Labels.BACKUP_NAME, Labels.RESTORE_NAME));
    }
    return copy;
  }
}
