package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Velero's {@code velero.io/pvc} restore item action (reference 4).
 *
 * <ul>
 *   <li>The claim's {@code volume.kubernetes.io/selected-node}, as Velero up to 1.16 handles it
 *       (issue 11, the node-mapping ConfigMap of those versions' docs): when the plugin ConfigMap
 *       labelled {@code velero.io/change-pvc-node-selector: RestoreItemAction} maps the node, the
 *       annotation names the mapped node (kept even when that node does not exist, with a
 *       warning in the log, as Velero does); without a mapping it stays when the node exists in
 *       the target cluster and is removed when it does not. (Velero 1.17 always removes it and
 *       1.18 dropped the ConfigMap: a deliberate difference, for the users of that ConfigMap.)
 *   <li>Removes the binding, provisioning and Velero bookkeeping annotations listed in
 *       {@link #REMOVED_ANNOTATIONS}. An annotations map left empty is removed, as Go omits it.
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
  /** The claim's node annotation, and the plugin ConfigMap that maps its nodes (Velero up to 1.16). */
  public static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
  public static final String NODE_MAPPING = "velero.io/change-pvc-node-selector";
  private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(PvcAction.class);

  /** Annotations removed from every restored claim, in Velero's order. */
  public static final List<String> REMOVED_ANNOTATIONS = List.of(
      "pv.kubernetes.io/bind-completed",
      "pv.kubernetes.io/bound-by-controller",
      "volume.kubernetes.io/storage-provisioner",
      "volume.beta.kubernetes.io/storage-provisioner",
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
        selectedNode(annotations, input.cluster());
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

  /** Velero 1.16's handling of the selected-node annotation; errors in its words. */
  private static void selectedNode(ObjectNode annotations, TargetLookups cluster) throws ActionException {
    if (!annotations.has(SELECTED_NODE)) {
      return;
    }
    String node = annotations.path(SELECTED_NODE).asText();
    String mapped = cluster.pluginConfig(NODE_MAPPING).map(data -> data.get(node)).orElse("");
    if (mapped != null && !mapped.isEmpty()) {
      boolean exists;
      try {
        exists = cluster.nodeExists(mapped);
      } catch (ActionException e) {
        throw new ActionException("error checking " + node + "'s mapped node " + mapped + " existence: "
            + e.getMessage(), e);
      }
      if (!exists) {
        LOG.warnf("Selected-node's mapped node doesn't exist: source: %s, dest: %s. Please check the ConfigMap with "
            + "label velero.io/change-pvc-node-selector.", node, mapped);
      }
      annotations.put(SELECTED_NODE, mapped);
      return;
    }
    boolean exists;
    try {
      exists = cluster.nodeExists(node);
    } catch (ActionException e) {
      throw new ActionException("error checking node " + node + " existence: " + e.getMessage(), e);
    }
    if (!exists) {
      annotations.remove(SELECTED_NODE);
    }
  }
}
