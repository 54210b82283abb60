package dev.rebound.itemrestorer.modifiers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.prepare.MergePatch;
import dev.rebound.model.Json;
import dev.rebound.model.filter.Glob;
import dev.rebound.model.filter.IncludesExcludes;
import dev.rebound.model.filter.LabelSelectors;
import dev.rebound.model.velero.ResourceModifiers;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import io.fabric8.zjsonpatch.Operation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Velero's resource modifiers applied to one item (reference section 5), after the restore item
 * actions and before the namespace is mapped (3.6 step 10): each rule whose conditions hold
 * patches the item with its JSON patches, JSON merge patches or strategic merge patches. With
 * more than one rule, conditions are evaluated on the item as it was before any rule; patches
 * accumulate. A rule whose JSON patch {@code test} fails is skipped silently; any other failure is
 * an error of the item, which is still created.
 */
public final class ResourceModifierRules {

  private ResourceModifierRules() {}

  /**
   * Applies the rules to {@code item} (in place).
   *
   * @param groupResource the backup's resource directory, e.g. {@code deployments.apps}
   * @return the errors, in Velero's words; empty when every matching rule applied
   */
  public static List<String> apply(ResourceModifiers modifiers, ObjectNode item, String groupResource) {
    List<String> errors = new ArrayList<>();
    List<ResourceModifiers.Rule> rules = modifiers.resourceModifierRules();
    if (rules == null) {
      return errors;
    }
    ObjectNode origin = rules.size() > 1 ? item.deepCopy() : item;
    for (ResourceModifiers.Rule rule : rules) {
      boolean matched;
      try {
        matched = matches(rule.conditions(), origin, groupResource);
      } catch (PatchException e) {
        errors.add(e.getMessage());
        continue;
      }
      if (!matched) {
        continue;
      }
      try {
        ObjectNode patched = patch(rule, item);
        item.removeAll();
        item.setAll(patched);
      } catch (PatchException e) {
        errors.add(e.unwrapped ? e.getMessage() : "error in applying patch " + e.getMessage());
      }
    }
    return errors;
  }

  static boolean matches(ResourceModifiers.Conditions conditions, ObjectNode item, String groupResource)
      throws PatchException {
    JsonNode metadata = item.path("metadata");
    String namespace = metadata.path("namespace").asText("");
    if (!namespace.isEmpty() && !new IncludesExcludes(conditions.namespaces(), List.of()).shouldInclude(namespace)) {
      return false;
    }
    Glob glob;
    try {
      glob = Glob.compile(conditions.groupResource(), '.');
    } catch (IllegalArgumentException e) {
      throw new PatchException(e.getMessage());
    }
    if (!glob.matches(groupResource)) {
      return false;
    }
    String nameRegex = conditions.resourceNameRegex();
    if (nameRegex != null && !nameRegex.isEmpty()) {
      try {
        if (!Pattern.compile(nameRegex).matcher(metadata.path("name").asText("")).find()) {
          return false;
        }
      } catch (PatternSyntaxException e) {
        throw new PatchException("error in matching regex " + e.getMessage());
      }
    }
    if (conditions.labelSelector() != null) {
      var invalid = LabelSelectors.validate(conditions.labelSelector());
      if (invalid.isPresent()) {
        throw new PatchException("error in creating label selector " + invalid.get());
      }
      if (!LabelSelectors.matches(conditions.labelSelector(), labels(item))) {
        return false;
      }
    }
    List<ResourceModifiers.MatchRule> matches = conditions.matches();
    if (matches == null || matches.isEmpty()) {
      return true;
    }
    ArrayNode tests = JsonNodeFactory.instance.arrayNode();
    for (ResourceModifiers.MatchRule m : matches) {
      if (m.path() == null || m.path().isEmpty()) {
        throw new PatchException("path is required for match rule");
      }
      tests.add(operation("test", null, m.path(), m.value()));
    }
    try {
      JsonPatch.apply(tests, item);
      return true;
    } catch (JsonPatchException e) {
      // A failed test or a missing path: the rule does not apply.
      return false;
    }
  }

  private static ObjectNode patch(ResourceModifiers.Rule rule, ObjectNode item) throws PatchException {
    if (rule.patches() != null && !rule.patches().isEmpty()) {
      ArrayNode ops = JsonNodeFactory.instance.arrayNode();
      for (ResourceModifiers.JsonPatch p : rule.patches()) {
        ops.add(operation(p.operation(), p.from(), p.path(), p.value()));
      }
      try {
        return (ObjectNode) JsonPatch.apply(ops, item);
      } catch (JsonPatchException e) {
        if (e.getOperation() == Operation.TEST) {
          return item.deepCopy(); // Velero: a failed test leaves the item as it was
        }
        throw new PatchException("error in applying JSON Patch " + e.getMessage());
      } catch (RuntimeException e) {
        throw new PatchException("error in decoding json patch " + e.getMessage());
      }
    }
    if (rule.mergePatches() != null && !rule.mergePatches().isEmpty()) {
      ObjectNode patched = item.deepCopy();
      for (ResourceModifiers.PatchData data : rule.mergePatches()) {
        JsonNode patch = patchData(data);
        if (!(patch instanceof ObjectNode object)) {
          throw new PatchException("error in applying JSON Patch: a merge patch must be an object");
        }
        MergePatch.apply(patched, object);
      }
      return patched;
    }
    if (rule.strategicPatches() != null && !rule.strategicPatches().isEmpty()) {
      ObjectNode patched = item.deepCopy();
      for (ResourceModifiers.PatchData data : rule.strategicPatches()) {
        JsonNode patch = patchData(data);
        if (!(patch instanceof ObjectNode object)) {
          throw new PatchException("error in applying Strategic Patch a strategic merge patch must be an object");
        }
        try {
          StrategicMergePatch.apply(patched, object);
        } catch (StrategicMergePatch.NotRegistered e) {
          throw new PatchException(e.getMessage(), true);
        } catch (IllegalArgumentException e) {
          throw new PatchException("error in applying Strategic Patch " + e.getMessage());
        }
      }
      return patched;
    }
    throw new PatchException("no patch data found");
  }

  private static JsonNode patchData(ResourceModifiers.PatchData data) throws PatchException {
    try {
      return Json.yaml().readTree(data.patchData() == null ? "" : data.patchData());
    } catch (JsonProcessingException e) {
      throw new PatchException("error in converting YAML to JSON " + e.getOriginalMessage());
    }
  }

  /** One RFC 6902 operation, its value typed by Velero's rules (reference 5). */
  static ObjectNode operation(String op, String from, String path, String value) throws PatchException {
    ObjectNode operation = JsonNodeFactory.instance.objectNode();
    operation.put("op", op);
    operation.put("path", path);
    if (from != null && !from.isEmpty()) {
      operation.put("from", from);
    }
    operation.set("value", typedValue(value));
    return operation;
  }

  /**
   * Velero writes a modifier's string value into the patch unquoted when it is {@code null},
   * {@code true}/{@code false} (in any case), starts with {@code {} or {@code [}, or is a number;
   * a value in literal double quotes is the string inside them; anything else is a string.
   * Unquoted text that is not valid JSON ({@code TRUE}, a malformed object) fails as in Velero.
   */
  static JsonNode typedValue(String value) throws PatchException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value == null || value.isEmpty()) {
      return f.textNode("");
    }
    if (value.startsWith("\"") && value.endsWith("\"")) {
      return f.textNode(value.length() >= 2 ? value.substring(1, value.length() - 1) : "");
    }
    String lower = value.toLowerCase(java.util.Locale.ROOT);
    boolean raw = value.equals("null") || lower.equals("true") || lower.equals("false") || value.startsWith("{")
        || value.startsWith("[") || JSON_NUMBER.matcher(value).matches();
    if (!raw) {
      return f.textNode(value);
    }
    try {
      return Json.mapper().readTree(value);
    } catch (JsonProcessingException e) {
      throw new PatchException("error in decoding json patch " + e.getOriginalMessage());
    }
  }

  private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  private static Map<String, String> labels(ObjectNode item) {
    Map<String, String> labels = new LinkedHashMap<>();
    item.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  /** A rule that could not be evaluated or applied. */
  static final class PatchException extends Exception {
    /** Velero returns this error as it is, without "error in applying patch". */
    final boolean unwrapped;

    PatchException(String message) {
      this(message, false);
    }

    PatchException(String message, boolean unwrapped) {
      super(message);
      this.unwrapped = unwrapped;
    }
  }
}
