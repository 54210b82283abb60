package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed reads of the fields an action looks at. Velero's actions first convert the item into its
 * Go type with apimachinery's unstructured converter, which fails when a field has the wrong JSON
 * type; these reads fail the same way, with the converter's words ("cannot restore slice from
 * string", ...), but only for the fields the action reads (Velero checks the whole object). A
 * missing field or JSON {@code null} reads as Go's zero value: {@code null} for objects and lists,
 * "" for strings.
 */
final class ItemShapes {

  private ItemShapes() {}

  /** A field of the wrong JSON type; the message is the converter's. */
  static final class Mismatch extends RuntimeException {
    Mismatch(String message) {
      super(message);
    }
  }

  /** An object field that Go holds as a struct. */
  static ObjectNode struct(JsonNode parent, String field) {
    return asStruct(child(parent, field));
  }

  /** An element that Go holds as a struct (e.g. one container of a list). */
  static ObjectNode asStruct(JsonNode node) {
    if (isNull(node)) {
      return null;
    }
    if (!node.isObject()) {
      throw new Mismatch("cannot restore struct from: " + kind(node));
    }
    return (ObjectNode) node;
  }

  /** An object field that Go holds as a map (labels, annotations, data). */
  static ObjectNode map(JsonNode parent, String field) {
    JsonNode node = child(parent, field);
    if (isNull(node)) {
      return null;
    }
    if (!node.isObject()) {
      throw new Mismatch("cannot restore map from " + kind(node));
    }
    return (ObjectNode) node;
  }

  /** A {@code map[string]string} field as a Java map; empty when absent. */
  static Map<String, String> stringMap(JsonNode parent, String field) {
    ObjectNode node = map(parent, field);
    Map<String, String> result = new LinkedHashMap<>();
    if (node != null) {
      var fields = node.fields();
      while (fields.hasNext()) {
        var e = fields.next();
        result.put(e.getKey(), asString(e.getValue()));
      }
    }
    return result;
  }

  /** A list field. */
  static ArrayNode slice(JsonNode parent, String field) {
    JsonNode node = child(parent, field);
    if (isNull(node)) {
      return null;
    }
    if (!node.isArray()) {
      throw new Mismatch("cannot restore slice from " + kind(node));
    }
    return (ArrayNode) node;
  }

  /** A string field; "" when absent or null. */
  static String string(JsonNode parent, String field) {
    return string(parent, field, "string");
  }

  /** A field of a named Go string type (e.g. {@code v1.SecretType}), named so in the message. */
  static String string(JsonNode parent, String field, String goStringType) {
    return asString(child(parent, field), goStringType);
  }

  static String asString(JsonNode node) {
    return asString(node, "string");
  }

  /** A Go string (or named string type): only a whole number has a message of its own. */
  private static String asString(JsonNode node, String goStringType) {
    if (isNull(node)) {
      return "";
    }
    if (!node.isTextual()) {
      throw new Mismatch(GoUnstructured.isInt64(node) ? "cannot convert int64 to " + goStringType
          : "unrecognized type: string"); // the target kind, which is string for named string types too
    }
    return node.asText();
  }

  /** A {@code map[string][]byte} field (a Secret's data): values must be base64 text. */
  static void byteMap(JsonNode parent, String field) {
    ObjectNode node = map(parent, field);
    if (node != null) {
      for (JsonNode value : node) {
        if (!isNull(value) && !value.isTextual()) {
          throw new Mismatch("cannot restore slice from " + kind(value));
        }
      }
    }
  }

  private static JsonNode child(JsonNode parent, String field) {
    return parent == null ? null : parent.get(field);
  }

  private static boolean isNull(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  /** The reflect kind the converter names for a decoded JSON value. */
  static String kind(JsonNode node) {
    return GoUnstructured.kind(node);
  }

  /** The Go type the converter names for a decoded JSON value. */
  static String goType(JsonNode node) {
    return GoUnstructured.typeName(node);
  }
}
