package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.actions.GoUnstructured.GoError;
import java.util.ArrayList;
import java.util.List;

/**
 * Velero's {@code velero.io/crd-preserve-fields} restore item action (reference 4; Velero's
 * {@code pkg/restore/actions/crd_v1_preserve_unknown_fields_action.go}): an
 * {@code apiextensions.k8s.io/v1} CustomResourceDefinition with {@code spec.preserveUnknownFields:
 * true}, which v1 API servers reject, gets {@code preserveUnknownFields: false} and, on the
 * {@code schema.openAPIV3Schema} of every version that has one,
 * {@code x-kubernetes-preserve-unknown-fields: true}, keeping the meaning of the old flag. CRDs of
 * other API versions (v1beta1) and v1 CRDs without the flag are unchanged.
 *
 * <p>Velero quirks followed:
 *
 * <ul>
 *   <li>Velero reads the CRD's name (only for its log) from a top-level {@code name} field instead
 *       of {@code metadata.name}; a non-string value there fails the item ("could not get CRD name:
 *       .name accessor error: ..."); a non-string {@code apiVersion} fails it too ("could not get CRD
 *       version: ...");
 *   <li>Velero decodes every v1 CRD into the typed Go object with {@code encoding/json}, whatever
 *       its flag; of that decoding's failures we give those of the fields this action reads
 *       ({@code spec}, {@code spec.preserveUnknownFields}, {@code spec.versions}, each version's
 *       {@code schema}, {@code openAPIV3Schema} and its {@code x-kubernetes-preserve-unknown-fields}),
 *       in Go's wording, e.g. "unable to convert CRD from unstructured to structured: unable to
 *       convert JSON to CRD Go type: json: cannot unmarshal string into Go struct field
 *       CustomResourceDefinitionSpec.spec.preserveUnknownFields of type bool".
 * </ul>
 *
 * <p>Deliberate difference: Velero returns the CRD re-encoded from the typed object, which drops
 * zero-valued optional fields (so {@code preserveUnknownFields: false} is omitted rather than
 * written, as reference 4 says) and unknown fields, and adds {@code creationTimestamp: null}. We
 * change only the two fields above; the API server stores the same object either way.
 */
public final class CrdPreserveFieldsAction implements RestoreItemAction {

  static final String V1 = "apiextensions.k8s.io/v1";
  static final String PRESERVE_IN_SCHEMA = "x-kubernetes-preserve-unknown-fields";

  private static final String DECODE_ERROR =
      "unable to convert CRD from unstructured to structured: unable to convert JSON to CRD Go type: ";

  @Override
  public String name() {
    return "velero.io/crd-preserve-fields";
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return groupResource.equals("customresourcedefinitions.apiextensions.k8s.io");
  }

  @Override
  public ActionOutput execute(ActionInput input) throws ActionException {
    ObjectNode crd = input.item();
    try {
      GoUnstructured.nestedString(crd, "name");
    } catch (GoError e) {
      throw new ActionException("could not get CRD name: " + e.getMessage());
    }
    String apiVersion;
    try {
      apiVersion = GoUnstructured.nestedString(crd, "apiVersion").orElse("");
    } catch (GoError e) {
      throw new ActionException("could not get CRD version: " + e.getMessage());
    }
    if (!apiVersion.equals(V1)) {
      return ActionOutput.of(crd);
    }
    List<ObjectNode> schemas;
    try {
      schemas = decode(crd);
    } catch (GoError e) {
      throw new ActionException(DECODE_ERROR + e.getMessage());
    }
    ObjectNode spec = (ObjectNode) crd.get("spec");
    if (spec != null && spec.path("preserveUnknownFields").asBoolean(false)) {
      spec.put("preserveUnknownFields", false);
      for (ObjectNode schema : schemas) {
        schema.put(PRESERVE_IN_SCHEMA, true);
      }
    }
    return ActionOutput.of(crd);
  }

  /**
   * Checks the fields read here as Go's decoder into {@code apiextensionsv1.CustomResourceDefinition}
   * would (keys in sorted order, as Velero marshals the map first) and returns the versions'
   * {@code openAPIV3Schema} objects.
   */
  private static List<ObjectNode> decode(ObjectNode crd) throws GoError {
    List<ObjectNode> schemas = new ArrayList<>();
    JsonNode spec = crd.get("spec");
    expect(spec, "object", "CustomResourceDefinition.spec", "v1.CustomResourceDefinitionSpec");
    if (spec == null || spec.isNull()) {
      return schemas;
    }
    expect(spec.get("preserveUnknownFields"), "bool", "CustomResourceDefinitionSpec.spec.preserveUnknownFields",
        "bool");
    JsonNode versions = spec.get("versions");
    expect(versions, "array", "CustomResourceDefinitionSpec.spec.versions", "[]v1.CustomResourceDefinitionVersion");
    if (versions == null || versions.isNull()) {
      return schemas;
    }
    for (JsonNode version : versions) {
      expect(version, "object", "CustomResourceDefinitionSpec.spec.versions", "v1.CustomResourceDefinitionVersion");
      JsonNode schema = version.get("schema");
      expect(schema, "object", "CustomResourceDefinitionVersion.spec.versions.schema", "v1.CustomResourceValidation");
      if (schema == null || schema.isNull()) {
        continue;
      }
      JsonNode openApi = schema.get("openAPIV3Schema");
      expect(openApi, "object", "CustomResourceValidation.spec.versions.schema.openAPIV3Schema", "v1.JSONSchemaProps");
      if (openApi == null || openApi.isNull()) {
        continue;
      }
      expect(openApi.get(PRESERVE_IN_SCHEMA), "bool",
          "JSONSchemaProps.spec.versions.schema.openAPIV3Schema." + PRESERVE_IN_SCHEMA, "bool");
      schemas.add((ObjectNode) openApi);
    }
    return schemas;
  }

  /** A missing or null value decodes to Go's zero value; anything but the expected JSON kind fails. */
  private static void expect(JsonNode value, String jsonKind, String field, String goType) throws GoError {
    if (value == null || value.isNull() || GoUnstructured.jsonValueKind(value).equals(jsonKind)) {
      return;
    }
    throw new GoError("json: cannot unmarshal " + GoUnstructured.jsonValueKind(value) + " into Go struct field "
        + field + " of type " + goType);
  }
}
