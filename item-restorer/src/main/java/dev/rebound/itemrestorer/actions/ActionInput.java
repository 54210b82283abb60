package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.pipeline.VolumeHint;
import dev.rebound.model.velero.RestoreSpec;
import java.util.Map;

/**
 * What an action gets (Velero's {@code RestoreItemActionExecuteInput}).
 *
 * @param item the item so far: metadata reset, previous actions applied; still in its source
 *     namespace (the namespace is mapped after the actions, reference 3.6 step 11). An action may
 *     change it in place and return it.
 * @param itemFromBackup the item exactly as backed up; never changed
 * @param restore the restore being run
 * @param cluster reads of the target cluster
 * @param volume what the coordinator decided about the item's volumes (for a pod: its
 *     file-system backed-up volumes), or null
 */
public record ActionInput(ObjectNode item, ObjectNode itemFromBackup, RestoreInfo restore, TargetLookups cluster,
    VolumeHint volume) {

  /** An input without volume decisions. */
  public ActionInput(ObjectNode item, ObjectNode itemFromBackup, RestoreInfo restore, TargetLookups cluster) {
    this(item, itemFromBackup, restore, cluster, null);
  }

  /**
   * The Restore as the actions see it.
   *
   * @param name the Restore's name
   * @param uid the Restore's uid (Velero: the Restore object's uid)
   * @param spec the resolved spec
   */
  public record RestoreInfo(String name, String uid, RestoreSpec spec) {

    /** {@code spec.namespaceMapping}, empty when unset. */
    public Map<String, String> namespaceMapping() {
      return spec == null || spec.namespaceMapping() == null ? Map.of() : spec.namespaceMapping();
    }

    /** A source namespace's target: mapped, else unchanged. */
    public String targetNamespace(String source) {
      return namespaceMapping().getOrDefault(source, source);
    }
  }
}
