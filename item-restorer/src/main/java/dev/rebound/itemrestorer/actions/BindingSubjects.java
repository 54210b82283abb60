package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.actions.GoUnstructured.GoError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one rule of Velero's {@code velero.io/role-bindings} and {@code velero.io/cluster-role-bindings}
 * actions (reference 4; Velero's {@code rolebinding_action.go} and
 * {@code clusterrolebinding_action.go}, two copies of the same code): each {@code subjects[]} entry
 * whose namespace is a key of the restore's {@code namespaceMapping} gets the mapped namespace.
 *
 * <p>As in Velero: without a namespace mapping the binding is not looked at at all; a subject
 * without a namespace has the namespace "" for the lookup; a subject mapped to "" loses its
 * {@code namespace} key (the typed Go object omits an empty namespace). Velero converts the whole
 * binding to the typed RBAC object and back; of that conversion's failures we give the ones of the
 * fields we read, with its wording ("cannot restore slice from map", "cannot restore struct from:
 * string", "cannot convert int64 to string", "unrecognized type: string"). Null subjects are left as
 * they are (Velero would turn them into subjects with empty kind and name).
 */
final class BindingSubjects {

  private BindingSubjects() {}

  /** Remaps the binding's subjects in place. */
  static void remapNamespaces(ObjectNode binding, Map<String, String> namespaceMapping) throws ActionException {
    if (namespaceMapping.isEmpty()) {
      return;
    }
    JsonNode subjects = binding.get("subjects");
    List<ObjectNode> toMap = new ArrayList<>();
    try {
      GoUnstructured.requireSlice(subjects);
      if (subjects == null || subjects.isNull()) {
        return;
      }
      for (JsonNode subject : subjects) {
        GoUnstructured.requireStruct(subject);
        if (subject.isObject()) {
          GoUnstructured.requireString(subject.get("namespace"));
          toMap.add((ObjectNode) subject);
        }
      }
    } catch (GoError e) {
      throw new ActionException(e.getMessage());
    }
    for (ObjectNode subject : toMap) {
      JsonNode current = subject.get("namespace");
      String namespace = current == null || current.isNull() ? "" : current.textValue();
      String target = namespaceMapping.get(namespace);
      if (target == null) {
        continue;
      }
      if (target.isEmpty()) {
        subject.remove("namespace");
      } else {
        subject.put("namespace", target);
      }
    }
  }
}
