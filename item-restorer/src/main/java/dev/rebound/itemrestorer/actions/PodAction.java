package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Velero's {@code velero.io/pod} restore item action (reference 4): makes a backed-up pod
 * schedulable in another cluster.
 *
 * <ul>
 *   <li>{@code spec.nodeName} and {@code spec.priority} are removed (Velero sets them to their Go
 *       zero values, which its JSON encoding omits): the scheduler picks a node and the priority
 *       admission plugin recomputes the priority from {@code priorityClassName}.
 *   <li>Volumes whose name starts with {@code <spec.serviceAccountName>-token-} (the legacy
 *       auto-mounted token secret of the source cluster) are dropped, and so are the volumeMounts
 *       of that prefix in every container and init container. A list left empty is removed, as
 *       Go omits it.
 *   <li>A non-empty {@code spec.priorityClassName} asks for that PriorityClass
 *       ({@code priorityclasses.scheduling.k8s.io}, cluster-scoped) as an additional item.
 * </ul>
 *
 * <p>Velero quirks followed ({@code pkg/restore/actions/pod_action.go}): only
 * {@code spec.serviceAccountName} is used, never the deprecated {@code spec.serviceAccount} nor the
 * implicit {@code default}: with it empty the prefix is just {@code -token-}. Projected
 * {@code kube-api-access-*} volumes are kept. Deliberate difference: Velero round-trips the pod
 * through its Go type, which drops unknown fields and adds empty defaults; here only the fields
 * above change. Fields read here of the wrong JSON type fail with the converter's message.
 */
public final class PodAction implements RestoreItemAction {

  public static final String NAME = "velero.io/pod";

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
    String priorityClassName;
    try {
      ObjectNode spec = ItemShapes.struct(pod, "spec");
      if (spec == null) {
        return ActionOutput.of(pod);
      }
      spec.remove("nodeName");
      spec.remove("priority");
      String tokenPrefix = ItemShapes.string(spec, "serviceAccountName") + "-token-";
      dropNamedWithPrefix(spec, "volumes", tokenPrefix);
      for (String containers : List.of("containers", "initContainers")) {
        ArrayNode list = ItemShapes.slice(spec, containers);
        if (list != null) {
          for (JsonNode container : list) {
            dropNamedWithPrefix(ItemShapes.asStruct(container), "volumeMounts", tokenPrefix);
          }
        }
      }
      priorityClassName = ItemShapes.string(spec, "priorityClassName");
    } catch (ItemShapes.Mismatch e) {
      throw new ActionException(e.getMessage(), e);
    }
    if (priorityClassName.isEmpty()) {
      return ActionOutput.of(pod);
    }
    return ActionOutput.of(pod, List.of(
        new ActionOutput.AdditionalItem("priorityclasses.scheduling.k8s.io", "", priorityClassName)));
  }

  /** Removes the entries of {@code parent.field} whose name starts with the prefix. */
  private static void dropNamedWithPrefix(ObjectNode parent, String field, String prefix) {
    ArrayNode entries = ItemShapes.slice(parent, field);
    if (entries == null) {
      return;
    }
    ArrayNode kept = entries.arrayNode();
    for (JsonNode entry : entries) {
      ObjectNode named = ItemShapes.asStruct(entry);
      if (named == null || !ItemShapes.string(named, "name").startsWith(prefix)) {
        kept.add(entry);
      }
    }
    if (kept.isEmpty()) {
      parent.remove(field);
    } else {
      parent.set(field, kept);
    }
  }
}
