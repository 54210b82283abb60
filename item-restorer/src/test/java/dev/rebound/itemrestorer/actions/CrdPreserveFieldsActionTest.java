package dev.rebound.itemrestorer.actions;

import static dev.rebound.itemrestorer.actions.ActionFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import dev.rebound.model.velero.RestoreSpec;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reference 4, {@code velero.io/crd-preserve-fields} (Velero's
 * {@code crd_v1_preserve_unknown_fields_action.go}): a v1 CRD's {@code preserveUnknownFields: true}
 * moves into its versions' schemas. JSON here is written with single quotes.
 */
class CrdPreserveFieldsActionTest {


  private static ObjectNode crd(String apiVersion, String spec) throws Exception {
    ObjectNode item = (ObjectNode) json("{'apiVersion':'" + apiVersion + "','kind':'CustomResourceDefinition',"
        + "'metadata':{'name':'widgets.example.com'}}");
    if (spec != null) {
      item.set("spec", json(spec));
    }
    return item;
  }

  private static ActionOutput run(ObjectNode item) throws ActionException {
    return new CrdPreserveFieldsAction().execute(new ActionInput(item, item.deepCopy(),
        new ActionInput.RestoreInfo("r", "uid", RestoreSpec.fromBackup("b")), null));
  }

  private static final String SCHEMA = "{'openAPIV3Schema':{'type':'object'}}";
  private static final String PRESERVED = "{'openAPIV3Schema':{'type':'object','x-kubernetes-preserve-unknown-fields':true}}";

  static Stream<Arguments> specs() {
    return Stream.of(
        Arguments.of("the flag moves into every version's schema",
            "{'group':'example.com','preserveUnknownFields':true,'versions':[{'name':'v1','schema':" + SCHEMA
                + "},{'name':'v2','schema':" + SCHEMA + "}]}",
            "{'group':'example.com','preserveUnknownFields':false,'versions':[{'name':'v1','schema':" + PRESERVED
                + "},{'name':'v2','schema':" + PRESERVED + "}]}"),
        Arguments.of("versions without a schema are passed over",
            "{'preserveUnknownFields':true,'versions':[{'name':'v1'},{'name':'v2','schema':null},"
                + "{'name':'v3','schema':{}},{'name':'v4','schema':{'openAPIV3Schema':null}},{'name':'v5','schema':" + SCHEMA + "}]}",
            "{'preserveUnknownFields':false,'versions':[{'name':'v1'},{'name':'v2','schema':null},"
                + "{'name':'v3','schema':{}},{'name':'v4','schema':{'openAPIV3Schema':null}},{'name':'v5','schema':" + PRESERVED + "}]}"),
        Arguments.of("an explicit false in a schema becomes true",
            "{'preserveUnknownFields':true,'versions':[{'name':'v1','schema':{'openAPIV3Schema':{'x-kubernetes-preserve-unknown-fields':false}}}]}",
            "{'preserveUnknownFields':false,'versions':[{'name':'v1','schema':{'openAPIV3Schema':{'x-kubernetes-preserve-unknown-fields':true}}}]}"),
        Arguments.of("no versions: only the flag changes", "{'preserveUnknownFields':true}",
            "{'preserveUnknownFields':false}"),
        Arguments.of("false: unchanged", "{'preserveUnknownFields':false,'versions':[{'name':'v1','schema':" + SCHEMA + "}]}",
            "{'preserveUnknownFields':false,'versions':[{'name':'v1','schema':" + SCHEMA + "}]}"),
        Arguments.of("absent: unchanged", "{'versions':[{'name':'v1','schema':" + SCHEMA + "}]}",
            "{'versions':[{'name':'v1','schema':" + SCHEMA + "}]}"),
        Arguments.of("null: unchanged", "{'preserveUnknownFields':null}", "{'preserveUnknownFields':null}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void v1PreserveUnknownFieldsMovesIntoTheSchemas(String rule, String spec, String expected) throws Exception {
    ObjectNode item = crd(CrdPreserveFieldsAction.V1, spec);
    ActionOutput out = run(item);
    assertSame(item, out.item(), rule);
    assertFalse(out.skipRestore(), rule);
    assertEquals(json(expected), out.item().get("spec"), rule);
    assertEquals("widgets.example.com", out.item().at("/metadata/name").asText(), rule);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "v1beta1 keeps its flag               | apiextensions.k8s.io/v1beta1 | {'preserveUnknownFields':true,'versions':[{'name':'v1'}]}",
      "v1beta1 is not decoded: no error     | apiextensions.k8s.io/v1beta1 | {'preserveUnknownFields':'yes'}",
      "a v1 CRD without spec                | apiextensions.k8s.io/v1      | -"
  })
  void otherCrdsAreUnchanged(String rule, String apiVersion, String spec) throws Exception {
    ObjectNode item = crd(apiVersion, spec.equals("-") ? null : spec);
    ObjectNode before = item.deepCopy();
    assertEquals(before, run(item).item(), rule);
  }

  static Stream<Arguments> malformed() {
    String decode = "unable to convert CRD from unstructured to structured: unable to convert JSON to CRD Go type: "
        + "json: cannot unmarshal ";
    return Stream.of(
        Arguments.of("spec not an object", "'x'",
            decode + "string into Go struct field CustomResourceDefinition.spec of type v1.CustomResourceDefinitionSpec"),
        Arguments.of("flag a string", "{'preserveUnknownFields':'true'}",
            decode + "string into Go struct field CustomResourceDefinitionSpec.spec.preserveUnknownFields of type bool"),
        Arguments.of("flag a number", "{'preserveUnknownFields':1}",
            decode + "number into Go struct field CustomResourceDefinitionSpec.spec.preserveUnknownFields of type bool"),
        // Velero decodes every v1 CRD, whatever its flag.
        Arguments.of("versions an object, flag false", "{'preserveUnknownFields':false,'versions':{}}",
            decode + "object into Go struct field CustomResourceDefinitionSpec.spec.versions of type "
                + "[]v1.CustomResourceDefinitionVersion"),
        Arguments.of("a version a string", "{'versions':['v1']}",
            decode + "string into Go struct field CustomResourceDefinitionSpec.spec.versions of type "
                + "v1.CustomResourceDefinitionVersion"),
        Arguments.of("a schema a string", "{'versions':[{'name':'v1','schema':'x'}]}",
            decode + "string into Go struct field CustomResourceDefinitionVersion.spec.versions.schema of type "
                + "v1.CustomResourceValidation"),
        Arguments.of("an openAPIV3Schema a list", "{'versions':[{'name':'v1','schema':{'openAPIV3Schema':[]}}]}",
            decode + "array into Go struct field CustomResourceValidation.spec.versions.schema.openAPIV3Schema of type "
                + "v1.JSONSchemaProps"),
        Arguments.of("a schema's own flag a string",
            "{'versions':[{'name':'v1','schema':{'openAPIV3Schema':{'x-kubernetes-preserve-unknown-fields':'t'}}}]}",
            decode + "string into Go struct field JSONSchemaProps.spec.versions.schema.openAPIV3Schema."
                + "x-kubernetes-preserve-unknown-fields of type bool"),
        // Go's decoder reports the first failure in sorted key order: preserveUnknownFields < versions.
        Arguments.of("first failure wins", "{'versions':{},'preserveUnknownFields':'t'}",
            decode + "string into Go struct field CustomResourceDefinitionSpec.spec.preserveUnknownFields of type bool"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedV1CrdsFailWithGosDecodeError(String rule, String spec, String message) throws Exception {
    ObjectNode item = crd(CrdPreserveFieldsAction.V1, spec);
    ActionException e = assertThrows(ActionException.class, () -> run(item), rule);
    assertEquals(message, e.getMessage(), rule);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      // Velero reads the name for its log from a top-level "name", not metadata.name.
      "a top-level name that is no string | name       | 5   | could not get CRD name: .name accessor error: 5 is of the type int64, expected string",
      "an apiVersion that is no string    | apiVersion | 1.5 | could not get CRD version: .apiVersion accessor error: 1.5 is of the type float64, expected string"
  })
  void unreadableNameOrVersionFails(String rule, String field, String value, String message) throws Exception {
    ObjectNode item = crd(CrdPreserveFieldsAction.V1, "{'preserveUnknownFields':true}");
    item.set(field, json(value));
    ActionException e = assertThrows(ActionException.class, () -> run(item), rule);
    assertEquals(message, e.getMessage(), rule);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "customresourcedefinitions.apiextensions.k8s.io, true",
      "customresourcedefinitions, false",
      "apiservices.apiregistration.k8s.io, false"
  })
  void appliesToCrdsOnly(String groupResource, boolean applies) {
    assertEquals(applies, new CrdPreserveFieldsAction().appliesTo(groupResource));
    assertEquals("velero.io/crd-preserve-fields", new CrdPreserveFieldsAction().name());
  }
}
