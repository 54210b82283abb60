package dev.rebound.itemrestorer.prepare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * RFC 7386 JSON merge patches, as Velero computes them with {@code jsonpatch.CreateMergePatch}
 * (reference 3.8): objects are merged key by key, anything else (arrays included) is replaced,
 * and a key missing from the target becomes {@code null} (removal).
 */
public final class MergePatch {

  private MergePatch() {}

  /** The patch that turns {@code from} into {@code to}; an empty object when they are equal. */
  public static ObjectNode create(ObjectNode from, ObjectNode to) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = to.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode old = from.get(e.getKey());
      if (old != null && old.isObject() && e.getValue().isObject()) {
        ObjectNode inner = create((ObjectNode) old, (ObjectNode) e.getValue());
        if (!inner.isEmpty()) {
          patch.set(e.getKey(), inner);
        }
      } else if (!e.getValue().equals(old)) {
        patch.set(e.getKey(), e.getValue());
      }
    }
    for (Iterator<String> it = from.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!to.has(key)) {
        patch.putNull(key);
      }
    }
    return patch;
  }

  /** Applies an RFC 7386 patch to {@code target} in place. */
  public static void apply(ObjectNode target, ObjectNode patch) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode value = e.getValue();
      if (value.isNull()) {
        target.remove(e.getKey());
      } else if (value.isObject()) {
        JsonNode current = target.get(e.getKey());
        ObjectNode next = current != null && current.isObject() ? (ObjectNode) current : target.putObject(e.getKey());
        apply(next, (ObjectNode) value);
      } else {
        target.set(e.getKey(), value);
      }
    }
  }
}
