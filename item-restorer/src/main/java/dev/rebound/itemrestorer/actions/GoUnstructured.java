package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * How Velero's Go code reads an item and words its failures, for the actions of reference 4 that
 * report malformed items with Velero's own messages.
 *
 * <p>A Velero plugin receives the item as JSON and decodes it the Kubernetes way: objects become
 * {@code map[string]interface {}}, arrays {@code []interface {}}, whole numbers {@code int64}, other
 * numbers {@code float64}, null {@code nil}. This class mirrors, for Jackson nodes:
 *
 * <ul>
 *   <li>the {@code unstructured.Nested*} accessors and their "accessor error" texts;
 *   <li>the checks of {@code runtime.DefaultUnstructuredConverter.FromUnstructured} for the shapes the
 *       actions touch (struct, slice, map, string) and their texts;
 *   <li>Go's {@code %v} and {@code %T} formatting of such values, which those texts embed;
 *   <li>the text Velero's plugin server gives a panic ("plugin panicked: ...", without the stack
 *       trace Velero appends to runtime errors).
 * </ul>
 */
final class GoUnstructured {

  private GoUnstructured() {}

  /** A Go error's text, to be wrapped by the caller as Velero wraps it. */
  static final class GoError extends Exception {
    GoError(String message) {
      super(message, null, false, false);
    }
  }

  // ---- unstructured.Nested* ----

  /**
   * {@code unstructured.NestedFieldNoCopy}: empty when a key is missing or an intermediate value is
   * null; the value (possibly a null node) when found; an error when an intermediate value is not
   * an object.
   */
  static Optional<JsonNode> nestedField(ObjectNode obj, String... fields) throws GoError {
    JsonNode value = obj;
    for (int i = 0; i < fields.length; i++) {
      if (value.isNull()) {
        return Optional.empty();
      }
      if (!value.isObject()) {
        throw new GoError(jsonPath(fields, i + 1) + " accessor error: " + format(value) + " is of the type "
            + typeName(value) + ", expected map[string]interface{}");
      }
      JsonNode next = value.get(fields[i]);
      if (next == null) {
        return Optional.empty();
      }
      value = next;
    }
    return Optional.of(value);
  }

  /** {@code unstructured.NestedSlice}: a found null is an error too ("<nil> is of the type <nil>"). */
  static Optional<ArrayNode> nestedSlice(ObjectNode obj, String... fields) throws GoError {
    Optional<JsonNode> value = nestedField(obj, fields);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (!value.get().isArray()) {
      throw new GoError(accessorError(fields, value.get(), "[]interface{}"));
    }
    return Optional.of((ArrayNode) value.get());
  }

  /** {@code unstructured.NestedString}. */
  static Optional<String> nestedString(ObjectNode obj, String... fields) throws GoError {
    Optional<JsonNode> value = nestedField(obj, fields);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (!value.get().isTextual()) {
      throw new GoError(accessorError(fields, value.get(), "string"));
    }
    return Optional.of(value.get().textValue());
  }

  private static String accessorError(String[] fields, JsonNode value, String expected) {
    return jsonPath(fields, fields.length) + " accessor error: " + format(value) + " is of the type "
        + typeName(value) + ", expected " + expected;
  }

  private static String jsonPath(String[] fields, int count) {
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < count; i++) {
      path.append('.').append(fields[i]);
    }
    return path.length() == 0 ? "." : path.toString();
  }

  // ---- runtime.DefaultUnstructuredConverter.FromUnstructured into typed objects ----

  /** Decoding into a Go struct (or a pointer to one): an object or null. */
  static void requireStruct(JsonNode value) throws GoError {
    if (value != null && !value.isNull() && !value.isObject()) {
      throw new GoError("cannot restore struct from: " + kind(value));
    }
  }

  /** Decoding into a Go slice: an array or null. */
  static void requireSlice(JsonNode value) throws GoError {
    if (value != null && !value.isNull() && !value.isArray()) {
      throw new GoError("cannot restore slice from " + kind(value));
    }
  }

  /** Decoding into a Go {@code map[string]string}: an object or null, whose values are strings. */
  static void requireStringMap(JsonNode value) throws GoError {
    if (value == null || value.isNull()) {
      return;
    }
    if (!value.isObject()) {
      throw new GoError("cannot restore map from " + kind(value));
    }
    for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
      requireString(it.next());
    }
  }

  /** Decoding into a Go string: a string or null (only whole numbers get a message of their own). */
  static void requireString(JsonNode value) throws GoError {
    if (value == null || value.isNull() || value.isTextual()) {
      return;
    }
    if (isInt64(value)) {
      throw new GoError("cannot convert int64 to string");
    }
    throw new GoError("unrecognized type: string");
  }

  // ---- panics ----

  /** The error Velero's plugin server returns for a panic with this message. */
  static ActionException pluginPanicked(String panicMessage) {
    return new ActionException("plugin panicked: " + panicMessage);
  }

  /** A failed Go type assertion {@code value.(<wanted>)} on an {@code interface {}}, as a panic. */
  static ActionException failedAssertion(JsonNode value, String wanted) {
    String actual = value == null || value.isNull() ? "nil" : typeName(value);
    return pluginPanicked("interface conversion: interface {} is " + actual + ", not " + wanted);
  }

  // ---- Go's view of a value ----

  /** Go's {@code %T} of the decoded value. */
  static String typeName(JsonNode value) {
    if (value == null || value.isNull()) {
      return "<nil>";
    }
    if (value.isObject()) {
      return "map[string]interface {}";
    }
    if (value.isArray()) {
      return "[]interface {}";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "bool";
    }
    return isInt64(value) ? "int64" : "float64";
  }

  /** The {@code reflect.Kind} of the decoded value, as the converter names it. */
  static String kind(JsonNode value) {
    if (value.isObject()) {
      return "map";
    }
    if (value.isArray()) {
      return "slice";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "bool";
    }
    return isInt64(value) ? "int64" : "float64";
  }

  /** How {@code encoding/json} names a JSON value in "cannot unmarshal X into ..." errors. */
  static String jsonValueKind(JsonNode value) {
    if (value.isObject()) {
      return "object";
    }
    if (value.isArray()) {
      return "array";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "bool";
    }
    return "number";
  }

  /** Go's {@code %v} of the decoded value: maps print with sorted keys, {@code map[k:v]}. */
  static String format(JsonNode value) {
    if (value == null || value.isNull()) {
      return "<nil>";
    }
    if (value.isObject()) {
      List<String> keys = new ArrayList<>();
      value.fieldNames().forEachRemaining(keys::add);
      keys.sort(null);
      StringJoiner out = new StringJoiner(" ", "map[", "]");
      for (String key : keys) {
        out.add(key + ":" + format(value.get(key)));
      }
      return out.toString();
    }
    if (value.isArray()) {
      StringJoiner out = new StringJoiner(" ", "[", "]");
      for (JsonNode element : value) {
        out.add(format(element));
      }
      return out.toString();
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBoolean()) {
      return String.valueOf(value.booleanValue());
    }
    if (isInt64(value)) {
      return String.valueOf(value.longValue());
    }
    return formatFloat(value.doubleValue());
  }

  /** Whole JSON numbers that fit decode to {@code int64}; all other numbers to {@code float64}. */
  static boolean isInt64(JsonNode value) {
    return value.isNumber() && (value.isInt() || value.isLong() || value.isShort()
        || (value.isBigInteger() && value.canConvertToLong()));
  }

  /**
   * {@code %v} of a float64, i.e. {@code strconv.FormatFloat(f, 'g', -1, 64)}: the shortest digits,
   * in exponent form when the decimal exponent is below -4 or at least 6 (1e+06, 1.5e-05).
   */
  private static String formatFloat(double f) {
    if (f == 0) {
      return (1 / f < 0) ? "-0" : "0";
    }
    BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(f))).stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int exponent = digits.length() - shortest.scale() - 1;
    String sign = f < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 6) {
      return sign + exponentForm(digits, exponent);
    }
    return sign + shortest.toPlainString();
  }

  private static String exponentForm(String digits, int exponent) {
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String exp = String.valueOf(Math.abs(exponent));
    return mantissa + "e" + (exponent < 0 ? "-" : "+") + (exp.length() < 2 ? "0" + exp : exp);
  }
}
