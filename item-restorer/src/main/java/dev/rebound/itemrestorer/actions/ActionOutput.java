package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What an action returns (Velero's {@code RestoreItemActionExecuteOutput}).
 *
 * @param item the item to go on with
 * @param additionalItems items to restore before this one (reference 3.6 step 8)
 * @param skipRestore true: the item is not created and is recorded {@code skipped}
 */
public record ActionOutput(ObjectNode item, List<AdditionalItem> additionalItems, boolean skipRestore) {

  public ActionOutput {
    additionalItems = additionalItems == null ? List.of() : List.copyOf(additionalItems);
  }

  /** Go on with this item. */
  public static ActionOutput of(ObjectNode item) {
    return new ActionOutput(item, List.of(), false);
  }

  /** Go on with this item, after these. */
  public static ActionOutput of(ObjectNode item, List<AdditionalItem> additionalItems) {
    return new ActionOutput(item, additionalItems, false);
  }

  /** Do not restore the item. */
  public static ActionOutput skip(ObjectNode item) {
    return new ActionOutput(item, List.of(), true);
  }

  /**
   * An item an action needs restored first, named as in the backup (source namespace).
   *
   * @param groupResource e.g. {@code persistentvolumeclaims}, {@code priorityclasses.scheduling.k8s.io}
   * @param namespace the source namespace, "" for cluster-scoped items
   */
  public record AdditionalItem(String groupResource, String namespace, String name) {}
}
