package dev.rebound.model.velero;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.rebound.model.Json;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Velero's resource modifiers document, version v1 (reference section 5), as read from the one
 * data key of the ConfigMap a Restore names in {@code spec.resourceModifier}. Reading is strict,
 * as Velero's: unknown fields and non-string values are errors.
 */
public record ResourceModifiers(String version, List<Rule> resourceModifierRules) {

  public static final String SUPPORTED_VERSION = "v1";
  private static final Set<String> OPERATIONS = Set.of("add", "remove", "replace", "test", "move", "copy");

  public record Rule(Conditions conditions, List<JsonPatch> patches, List<PatchData> mergePatches,
      List<PatchData> strategicPatches) {}

  public record Conditions(List<String> namespaces, String groupResource, String resourceNameRegex,
      LabelSelector labelSelector, List<MatchRule> matches) {}

  public record MatchRule(String path, String value) {}

  public record JsonPatch(String operation, String from, String path, String value) {}

  /** A JSON merge patch or strategic merge patch, as YAML or JSON text. */
  public record PatchData(String patchData) {}

  private static final ObjectMapper STRICT = strictMapper();

  /**
   * Velero's {@code GetResourceModifiersFromConfig}: exactly one data key, decoded strictly.
   *
   * @throws IllegalArgumentException with Velero's message ("illegal resource modifiers ...",
   *     "failed to decode yaml data into resource modifiers, err: ...")
   */
  public static ResourceModifiers fromConfigMapData(String namespace, String name, Map<String, String> data) {
    if (data == null || data.size() != 1) {
      throw new IllegalArgumentException("illegal resource modifiers " + namespace + "/" + name + " configmap");
    }
    try {
      return STRICT.readValue(data.values().iterator().next(), ResourceModifiers.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IllegalArgumentException("failed to decode yaml data into resource modifiers, err: "
          + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("failed to decode yaml data into resource modifiers, err: " + e.getMessage(), e);
    }
  }

  /**
   * Reference 2.5 step 11 after the ConfigMap was found: its data parsed and validated, or an
   * {@link IllegalArgumentException} with the validation error in Velero's words ("Error in parsing
   * resource modifiers provided in configmap &lt;ns&gt;/&lt;name&gt;: ..." or "Validation error in resource
   * modifiers provided in configmap &lt;ns&gt;/&lt;name&gt;: ...").
   */
  public static ResourceModifiers fromConfigMap(String namespace, String name, Map<String, String> data) {
    String where = namespace + "/" + name;
    ResourceModifiers modifiers;
    try {
      modifiers = fromConfigMapData(namespace, name, data);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Error in parsing resource modifiers provided in configmap " + where + ": "
          + e.getMessage(), e);
    }
    java.util.Optional<String> invalid = modifiers.validate();
    if (invalid.isPresent()) {
      throw new IllegalArgumentException("Validation error in resource modifiers provided in configmap " + where
          + ": " + invalid.get());
    }
    return modifiers;
  }

  /** Velero's {@code Validate}, first error only, in its words; empty when valid. */
  public java.util.Optional<String> validate() {
    if (version == null || !version.equalsIgnoreCase(SUPPORTED_VERSION)) {
      return java.util.Optional.of("unsupported resource modifier version " + (version == null ? "" : version));
    }
    if (resourceModifierRules == null || resourceModifierRules.isEmpty()) {
      return java.util.Optional.of("resource modifier rules cannot be empty");
    }
    for (Rule rule : resourceModifierRules) {
      if (rule.conditions() == null || rule.conditions().groupResource() == null
          || rule.conditions().groupResource().isEmpty()) {
        // Velero's own spelling.
        return java.util.Optional.of("groupkResource cannot be empty");
      }
      long kinds = java.util.stream.Stream.of(rule.patches(), rule.mergePatches(), rule.strategicPatches())
          .filter(l -> l != null && !l.isEmpty()).count();
      if (kinds >= 2) {
        return java.util.Optional.of("only one of patches, mergePatches, strategicPatches can be specified");
      }
      for (JsonPatch p : rule.patches() == null ? List.<JsonPatch>of() : rule.patches()) {
        if (p.operation() == null || p.operation().isEmpty()) {
          return java.util.Optional.of("operation cannot be empty");
        }
        if (!OPERATIONS.contains(p.operation().toLowerCase(Locale.ROOT))) {
          return java.util.Optional.of("unsupported operation " + p.operation());
        }
        if (p.path() == null || p.path().isEmpty()) {
          return java.util.Optional.of("path cannot be empty");
        }
      }
    }
    return java.util.Optional.empty();
  }

  private static ObjectMapper strictMapper() {
    ObjectMapper m = Json.yaml().copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    // Go decodes into string fields: a YAML number or boolean there is an error, not a string.
    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return m;
  }
}
