package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Velero's {@code velero.io/add-pvc-from-pod} restore item action (reference 4): a pod's claims
 * are restored before the pod, so every {@code spec.volumes[]} entry with a
 * {@code persistentVolumeClaim} asks for {@code persistentvolumeclaims/<claimName>} in the pod's
 * namespace as it is on the item, i.e. the source namespace (additional items are named as in the
 * backup and remapped when they are restored).
 *
 * <p>As in Velero ({@code pkg/restore/actions/add_pvc_from_pod_action.go}) the item is not
 * changed, claims are listed once per volume in volume order (two volumes on one claim ask twice)
 * and an empty {@code claimName} is still asked for. A field of the wrong JSON type fails with
 * "unable to convert unstructured item to pod: ...", checked only for the fields read here.
 */
public final class AddPvcFromPodAction implements RestoreItemAction {

  public static final String NAME = "velero.io/add-pvc-from-pod";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return "pods".equals(groupResource);
  }

  @Override
  public ActionOutput execute(ActionInput input) throws ActionException {
    ObjectNode pod = input.item();
    List<ActionOutput.AdditionalItem> claims = new ArrayList<>();
    try {
      String namespace = ItemShapes.string(ItemShapes.struct(pod, "metadata"), "namespace");
      ArrayNode volumes = ItemShapes.slice(ItemShapes.struct(pod, "spec"), "volumes");
      if (volumes != null) {
        for (JsonNode volume : volumes) {
          ObjectNode claim = ItemShapes.struct(ItemShapes.asStruct(volume), "persistentVolumeClaim");
          if (claim != null) {
            claims.add(new ActionOutput.AdditionalItem(
                "persistentvolumeclaims", namespace, ItemShapes.string(claim, "claimName")));
          }
        }
      }
    } catch (ItemShapes.Mismatch e) {
      throw new ActionException("unable to convert unstructured item to pod: " + e.getMessage(), e);
    }
    return ActionOutput.of(pod, claims);
  }
}
