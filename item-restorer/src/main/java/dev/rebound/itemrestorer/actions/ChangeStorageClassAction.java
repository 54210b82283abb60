package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;

/**
 * Velero's {@code velero.io/change-storage-class} action (reference 4): with a plugin ConfigMap
 * (labels {@code velero.io/plugin-config} and {@code velero.io/change-storage-class:
 * RestoreItemAction}, data {@code <old class>: <new class>}), a PV's or PVC's
 * {@code spec.storageClassName} and each StatefulSet volume claim template's are rewritten. The new
 * class must exist in the target cluster, else the item fails ("error getting storage class
 * {@code <new>} from API: ..."). Items without a class or without a mapping are unchanged.
 */
public final class ChangeStorageClassAction implements RestoreItemAction {

  @Override
  public String name() {
    return "velero.io/change-storage-class";
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return groupResource.equals("persistentvolumeclaims") || groupResource.equals("persistentvolumes")
        || groupResource.equals("statefulsets.apps");
  }

  @Override
  public ActionOutput execute(ActionInput input) throws ActionException {
    Optional<Map<String, String>> config = input.cluster().pluginConfig(name());
    if (config.isEmpty() || config.get().isEmpty()) {
      return ActionOutput.of(input.item());
    }
    ObjectNode item = input.item();
    if ("StatefulSet".equals(item.path("kind").asText())) {
      for (JsonNode template : item.path("spec").path("volumeClaimTemplates")) {
        if (template.path("spec") instanceof ObjectNode spec) {
          rewrite(spec, config.get(), input.cluster());
        }
      }
    } else if (item.path("spec") instanceof ObjectNode spec) {
      rewrite(spec, config.get(), input.cluster());
    }
    return ActionOutput.of(item);
  }

  private static void rewrite(ObjectNode spec, Map<String, String> mapping, TargetLookups cluster)
      throws ActionException {
    String current = spec.path("storageClassName").asText("");
    if (current.isEmpty() || !mapping.containsKey(current)) {
      return;
    }
    String replacement = mapping.get(current);
    cluster.requireStorageClass(replacement);
    spec.put("storageClassName", replacement);
  }
}
