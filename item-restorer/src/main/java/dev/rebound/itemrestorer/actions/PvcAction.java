package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Velero's {@code velero.io/pvc} restore item action (reference 4).
 *
 * <ul>
 *   <li>Removes the binding, provisioning and Velero bookkeeping annotations listed in
 *       {@link #REMOVED_ANNOTATIONS} (among them {@code volume.kubernetes.io/selected-node}: since
 *       v1.17 it is always removed, and v1.18 dropped the node-mapping ConfigMap). An annotations
 *       map left empty is removed, as Go omits it.
 *   <li>When the claim <em>as backed up</em> ({@code itemFromBackup}) has {@code status.phase}
 *       {@code Bound} and a non-empty {@code spec.volumeName}, that PersistentVolume is an
 *       additional item ({@code persistentvolumes}, cluster-scoped).
 * </ul>
 *
 * <p>Velero quirk followed ({@code pkg/restore/actions/pvc_action.go}): the volume name comes from
 * the backed-up claim, not from the item a previous action may have changed (the status is only
 * there). Deliberate difference: the item is edited in place instead of round-tripped through the
 * Go type. Fields read here of the wrong JSON type fail with the converter's message.
 */
public final class PvcAction implements RestoreItemAction {

  public static final String NAME = "velero.io/pvc";

  /** Annotations removed from every restored claim, in Velero's order. */
  public static final List<String> REMOVED_ANNOTATIONS = List.of(
      "pv.kubernetes.io/bind-completed",
      "pv.kubernetes.io/bound-by-controller",
      "volume.kubernetes.io/storage-provisioner",
      "volume.beta.kubernetes.io/storage-provisioner",
      "volume.kubernetes.io/selected-node",
      "velero.io/volume-snapshot-name",
      "velero.io/data-upload-name");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return "persistentvolumeclaims".equals(groupResource);
  }

  @Override
  public ActionOutput execute(ActionInput input) throws ActionException {
    ObjectNode pvc = input.item();
    String phase;
    String volumeName;
    try {
      ObjectNode metadata = ItemShapes.struct(pvc, "metadata");
      ObjectNode annotations = ItemShapes.map(metadata, "annotations");
      if (annotations != null) {
        ItemShapes.stringMap(metadata, "annotations"); // Go's map[string]string: values must be strings
        annotations.remove(REMOVED_ANNOTATIONS);
        if (annotations.isEmpty()) {
          metadata.remove("annotations");
        }
      }
      ObjectNode backedUp = input.itemFromBackup();
      phase = ItemShapes.string(ItemShapes.struct(backedUp, "status"), "phase", "v1.PersistentVolumeClaimPhase");
      volumeName = ItemShapes.string(ItemShapes.struct(backedUp, "spec"), "volumeName");
    } catch (ItemShapes.Mismatch e) {
      throw new ActionException(e.getMessage(), e);
    }
    if (!"Bound".equals(phase) || volumeName.isEmpty()) {
      return ActionOutput.of(pvc);
    }
    return ActionOutput.of(pvc, List.of(new ActionOutput.AdditionalItem("persistentvolumes", "", volumeName)));
  }
}
