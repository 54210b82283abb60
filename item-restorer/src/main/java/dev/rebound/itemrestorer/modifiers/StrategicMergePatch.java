package dev.rebound.itemrestorer.modifiers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' strategic merge patch, for the built-in kinds a resource modifier may patch
 * (reference 5). Maps merge as in a JSON merge patch ({@code null} deletes a key); lists whose
 * Kubernetes type declares a merge strategy merge their elements by the merge key (containers by
 * {@code name}, container ports by {@code containerPort}, Service ports by {@code port}, ...), lists
 * of strings with a merge strategy ({@code finalizers}) are unions, every other list is replaced.
 * The directives {@code $patch: delete|replace|merge}, {@code $retainKeys},
 * {@code $deleteFromPrimitiveList/<field>} and {@code $setElementOrder/<field>} are honoured.
 *
 * <p>Velero looks the merge keys up in the Go types of its client's scheme; here they are a table
 * of the built-in types' {@code patchMergeKey} tags, chosen by field name and, for {@code ports},
 * by whether the list belongs to a container. A type outside that scheme (core v1, apps/v1,
 * batch/v1, Velero's and the snapshot APIs) is refused as Velero refuses it.
 */
final class StrategicMergePatch {

  /**
   * The group versions of Velero's client scheme ({@code pkg/cmd/server/server.go}), the only types
   * Velero can strategic-merge-patch: anything else fails as not registered.
   */
  private static final Set<String> SCHEME = Set.of("v1", "apps/v1", "batch/v1", "velero.io/v1", "velero.io/v2alpha1",
      "snapshot.storage.k8s.io/v1", "groupsnapshot.storage.k8s.io/v1beta2");

  /** Lists of objects merged by a key: the {@code patchMergeKey} of Kubernetes' types, by field name. */
  private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
      Map.entry("containers", "name"), Map.entry("initContainers", "name"),
      Map.entry("ephemeralContainers", "name"), Map.entry("volumes", "name"), Map.entry("env", "name"),
      Map.entry("volumeMounts", "mountPath"), Map.entry("volumeDevices", "devicePath"),
      Map.entry("imagePullSecrets", "name"), Map.entry("hostAliases", "ip"), Map.entry("ownerReferences", "uid"),
      Map.entry("conditions", "type"), Map.entry("topologySpreadConstraints", "topologyKey"),
      Map.entry("resourceClaims", "name"), Map.entry("schedulingGates", "name"), Map.entry("secrets", "name"),
      Map.entry("taints", "key"));

  /** Lists of strings with a merge strategy: unions. */
  private static final Set<String> MERGED_PRIMITIVE_LISTS = Set.of("finalizers");

  private static final String DIRECTIVE = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";
  private static final String SET_ELEMENT_ORDER = "$setElementOrder/";

  private StrategicMergePatch() {}

  /**
   * Applies {@code patch} to {@code target} in place.
   *
   * @throws IllegalArgumentException for a custom resource or a malformed directive
   */
  static void apply(ObjectNode target, ObjectNode patch) {
    String apiVersion = target.path("apiVersion").asText("");
    if (!SCHEME.contains(apiVersion)) {
      throw new NotRegistered("no kind \"" + target.path("kind").asText() + "\" is registered for version \""
          + apiVersion + "\"");
    }
    mergeMap(target, patch, new ArrayList<>());
  }

  private static void mergeMap(ObjectNode target, ObjectNode patch, List<String> path) {
    JsonNode directive = patch.get(DIRECTIVE);
    if (directive != null) {
      String d = directive.asText();
      if (d.equals("replace")) {
        target.removeAll();
        patch.fields().forEachRemaining(e -> {
          if (!e.getKey().startsWith("$")) {
            target.set(e.getKey(), e.getValue().deepCopy());
          }
        });
        return;
      }
      if (!d.equals("merge") && !d.equals("delete")) {
        throw new IllegalArgumentException("Unknown patch type: " + d);
      }
    }
    JsonNode retain = patch.get(RETAIN_KEYS);
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.equals(DIRECTIVE) || key.equals(RETAIN_KEYS) || key.startsWith(SET_ELEMENT_ORDER)) {
        continue;
      }
      if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        String field = key.substring(DELETE_FROM_PRIMITIVE_LIST.length());
        if (target.get(field) instanceof ArrayNode list && value.isArray()) {
          Set<JsonNode> remove = new HashSet<>();
          value.forEach(remove::add);
          for (int i = list.size() - 1; i >= 0; i--) {
            if (remove.contains(list.get(i))) {
              list.remove(i);
            }
          }
        }
        continue;
      }
      if (value.isNull()) {
        target.remove(key);
        continue;
      }
      List<String> childPath = new ArrayList<>(path);
      childPath.add(key);
      JsonNode current = target.get(key);
      if (value.isObject()) {
        if ("delete".equals(value.path(DIRECTIVE).asText(null))) {
          target.remove(key);
        } else if (current instanceof ObjectNode currentObject) {
          mergeMap(currentObject, (ObjectNode) value, childPath);
        } else {
          ObjectNode created = target.putObject(key);
          mergeMap(created, (ObjectNode) value, childPath);
        }
      } else if (value.isArray() && current instanceof ArrayNode currentList) {
        target.set(key, mergeList(currentList, (ArrayNode) value, key, childPath));
      } else {
        target.set(key, withoutDirectives(value));
      }
    }
    if (retain != null && retain.isArray()) {
      Set<String> keep = new HashSet<>();
      retain.forEach(k -> keep.add(k.asText()));
      target.retain(keep);
    }
  }

  private static ArrayNode mergeList(ArrayNode current, ArrayNode patch, String field, List<String> path) {
    for (JsonNode element : patch) {
      if (element.isObject() && "replace".equals(element.path(DIRECTIVE).asText(null))) {
        ArrayNode replaced = patch.arrayNode();
        patch.forEach(p -> {
          if (!(p.isObject() && p.has(DIRECTIVE))) {
            replaced.add(withoutDirectives(p));
          }
        });
        return replaced;
      }
    }
    String mergeKey = mergeKey(field, path);
    if (mergeKey != null) {
      ArrayNode merged = current.deepCopy();
      for (JsonNode element : patch) {
        if (!element.isObject()) {
          throw new IllegalArgumentException("unable to find api field in struct for the list " + field
              + ": an element is not an object");
        }
        JsonNode keyValue = element.get(mergeKey);
        if (keyValue == null) {
          throw new IllegalArgumentException("map: " + element + " does not contain declared merge key: " + mergeKey);
        }
        int index = indexOf(merged, mergeKey, keyValue);
        boolean delete = "delete".equals(element.path(DIRECTIVE).asText(null));
        if (delete) {
          if (index >= 0) {
            merged.remove(index);
          }
        } else if (index >= 0) {
          mergeMap((ObjectNode) merged.get(index), (ObjectNode) element, path);
        } else {
          merged.add(withoutDirectives(element));
        }
      }
      return merged;
    }
    if (MERGED_PRIMITIVE_LISTS.contains(field)) {
      ArrayNode merged = current.deepCopy();
      Set<JsonNode> present = new HashSet<>();
      merged.forEach(present::add);
      patch.forEach(p -> {
        if (present.add(p)) {
          merged.add(p.deepCopy());
        }
      });
      return merged;
    }
    return (ArrayNode) withoutDirectives(patch);
  }

  /** The merge key of a list field: container ports merge by containerPort, Service ports by port. */
  private static String mergeKey(String field, List<String> path) {
    if (field.equals("ports")) {
      boolean inContainer = path.stream().anyMatch(p -> p.equals("containers") || p.equals("initContainers")
          || p.equals("ephemeralContainers"));
      return inContainer ? "containerPort" : "port";
    }
    return MERGE_KEYS.get(field);
  }

  private static int indexOf(ArrayNode list, String key, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      if (value.equals(list.get(i).get(key))) {
        return i;
      }
    }
    return -1;
  }

  private static JsonNode withoutDirectives(JsonNode value) {
    JsonNode copy = value.deepCopy();
    strip(copy);
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> directives = new ArrayList<>();
      object.fieldNames().forEachRemaining(k -> {
        if (k.startsWith("$")) {
          directives.add(k);
        }
      });
      object.remove(directives);
      object.forEach(StrategicMergePatch::strip);
    } else if (node instanceof ArrayNode array) {
      array.forEach(StrategicMergePatch::strip);
    }
  }

  /** The object's type is not in Velero's scheme; Velero reports this error without its patch wrapper. */
  static final class NotRegistered extends IllegalArgumentException {
    NotRegistered(String message) {
      super(message);
    }
  }
}
