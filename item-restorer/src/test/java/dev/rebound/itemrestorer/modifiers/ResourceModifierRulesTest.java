package dev.rebound.itemrestorer.modifiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import dev.rebound.model.velero.ResourceModifiers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference 5: conditions, the three patch kinds, value typing and errors of resource modifiers. */
class ResourceModifierRulesTest {

  private static final String DEPLOYMENT = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{"
      + "\"name\":\"web\",\"namespace\":\"shop\",\"labels\":{\"app\":\"web\",\"tier\":\"front\"}},\"spec\":{"
      + "\"replicas\":3,\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.25\","
      + "\"ports\":[{\"containerPort\":80,\"protocol\":\"TCP\"}]},{\"name\":\"sidecar\",\"image\":\"envoy:1\"}]}}}}";

  private static ObjectNode deployment() throws Exception {
    return (ObjectNode) Json.mapper().readTree(DEPLOYMENT);
  }

  private static ResourceModifiers modifiers(String yaml) {
    ResourceModifiers m = ResourceModifiers.fromConfigMapData("velero", "mods", Map.of("rules.yaml", yaml));
    assertEquals(java.util.Optional.empty(), m.validate());
    return m;
  }

  private static String replicasRule(String conditions) {
    return "version: v1\nresourceModifierRules:\n- conditions:\n" + conditions
        + "  patches:\n  - operation: replace\n    path: /spec/replicas\n    value: \"1\"\n";
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "exact groupResource                     | '    groupResource: deployments.apps\n' | deployments.apps | true",
      "star-dot-apps glob                      | '    groupResource: \"*.apps\"\n' | deployments.apps | true",
      "a lone star is the core group only      | '    groupResource: \"*\"\n' | deployments.apps | false",
      "other resource                          | '    groupResource: statefulsets.apps\n' | deployments.apps | false",
      "name regex, unanchored like Go          | '    groupResource: deployments.apps\n    resourceNameRegex: \"we\"\n' | deployments.apps | true",
      "name regex no match                     | '    groupResource: deployments.apps\n    resourceNameRegex: \"^api-.*$\"\n' | deployments.apps | false",
      "source namespace listed                 | '    groupResource: deployments.apps\n    namespaces: [shop, other]\n' | deployments.apps | true",
      "source namespace not listed             | '    groupResource: deployments.apps\n    namespaces: [shop-restored]\n' | deployments.apps | false",
      "label selector matches                  | '    groupResource: deployments.apps\n    labelSelector: {matchLabels: {app: web}}\n' | deployments.apps | true",
      "label selector does not match           | '    groupResource: deployments.apps\n    labelSelector: {matchExpressions: [{key: tier, operator: In, values: [back]}]}\n' | deployments.apps | false",
      "matches: value equal                    | '    groupResource: deployments.apps\n    matches:\n    - path: /spec/replicas\n      value: \"3\"\n' | deployments.apps | true",
      "matches: value differs                  | '    groupResource: deployments.apps\n    matches:\n    - path: /spec/replicas\n      value: \"5\"\n' | deployments.apps | false",
      "matches: path missing                   | '    groupResource: deployments.apps\n    matches:\n    - path: /spec/paused\n      value: \"true\"\n' | deployments.apps | false",
      "matches: quoted string                  | '    groupResource: deployments.apps\n    matches:\n    - path: /spec/template/spec/containers/0/image\n      value: nginx:1.25\n' | deployments.apps | true"
  })
  void conditionsSelectTheItemsARulePatches(String rule, String conditions, String groupResource, boolean patched)
      throws Exception {
    ObjectNode item = deployment();
    List<String> errors = ResourceModifierRules.apply(modifiers(replicasRule(conditions)), item, groupResource);
    assertEquals(List.of(), errors, rule);
    assertEquals(patched ? 1 : 3, item.at("/spec/replicas").asInt(), rule);
  }

  @Test
  void namespacesAreIgnoredForClusterScopedItems() throws Exception {
    ObjectNode pv = (ObjectNode) Json.mapper().readTree("{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolume\","
        + "\"metadata\":{\"name\":\"pv-1\"},\"spec\":{\"storageClassName\":\"standard\"}}");
    ResourceModifiers m = modifiers("version: v1\nresourceModifierRules:\n- conditions:\n    groupResource: "
        + "persistentvolumes\n    namespaces: [shop]\n  patches:\n  - operation: replace\n    path: "
        + "/spec/storageClassName\n    value: fast\n");
    assertEquals(List.of(), ResourceModifierRules.apply(m, pv, "persistentvolumes"));
    assertEquals("fast", pv.at("/spec/storageClassName").asText());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "'1'           | 1",
      "'1.5'         | 1.5",
      "'null'        | null",
      "'true'        | true",
      "'{\"a\": 1}'  | {\"a\":1}",
      "'[1, 2]'      | [1,2]",
      "'\"true\"'    | \"true\"",
      "'\"42\"'      | \"42\"",
      "'nginx:1.26'  | \"nginx:1.26\"",
      "''            | \"\"",
      "'+1'          | \"+1\""
  })
  void valuesAreTypedAsVeleroWritesThem(String value, String json) throws Exception {
    assertEquals(Json.mapper().readTree(json), ResourceModifierRules.typedValue(value));
  }

  @Test
  void unquotedTextThatIsNotJsonFailsAsInVelero() {
    // Velero recognises true/false in any case but writes them as given: Go's JSON decoder then refuses them.
    assertThrows(ResourceModifierRules.PatchException.class, () -> ResourceModifierRules.typedValue("TRUE"));
    assertThrows(ResourceModifierRules.PatchException.class, () -> ResourceModifierRules.typedValue("False"));
    assertThrows(ResourceModifierRules.PatchException.class, () -> ResourceModifierRules.typedValue("{not json"));
  }

  @Test
  void jsonPatchOperationsApplyInOrder() throws Exception {
    ObjectNode item = deployment();
    List<String> errors = ResourceModifierRules.apply(modifiers("version: v1\nresourceModifierRules:\n- conditions:\n"
        + "    groupResource: deployments.apps\n  patches:\n"
        + "  - operation: add\n    path: /metadata/labels/restored\n    value: \"true\"\n"
        + "  - operation: replace\n    path: /spec/template/spec/containers/0/image\n    value: nginx:1.26\n"
        + "  - operation: remove\n    path: /spec/template/spec/containers/1\n"
        + "  - operation: copy\n    from: /metadata/labels/app\n    path: /metadata/labels/copied\n"), item,
        "deployments.apps");
    assertEquals(List.of(), errors);
    assertEquals(true, item.at("/metadata/labels/restored").asBoolean());
    assertEquals("nginx:1.26", item.at("/spec/template/spec/containers/0/image").asText());
    assertEquals(1, item.at("/spec/template/spec/containers").size());
    assertEquals("web", item.at("/metadata/labels/copied").asText());
  }

  @Test
  void aFailedTestOperationSkipsTheWholeRuleSilently() throws Exception {
    ObjectNode item = deployment();
    List<String> errors = ResourceModifierRules.apply(modifiers("version: v1\nresourceModifierRules:\n- conditions:\n"
        + "    groupResource: deployments.apps\n  patches:\n"
        + "  - operation: replace\n    path: /spec/replicas\n    value: \"0\"\n"
        + "  - operation: test\n    path: /metadata/name\n    value: api\n"), item, "deployments.apps");
    assertEquals(List.of(), errors);
    assertEquals(Json.mapper().readTree(DEPLOYMENT), item);
  }

  @Test
  void aPatchThatCannotApplyIsAnErrorAndTheItemIsUnchanged() throws Exception {
    ObjectNode item = deployment();
    List<String> errors = ResourceModifierRules.apply(modifiers("version: v1\nresourceModifierRules:\n- conditions:\n"
        + "    groupResource: deployments.apps\n  patches:\n"
        + "  - operation: remove\n    path: /spec/nothing/here\n"), item, "deployments.apps");
    assertEquals(1, errors.size());
    assertTrue(errors.get(0).startsWith("error in applying patch error in applying JSON Patch "), errors.get(0));
    assertEquals(Json.mapper().readTree(DEPLOYMENT), item);
  }

  @Test
  void mergePatchesApplyInSequenceAndNullDeletes() throws Exception {
    ObjectNode item = deployment();
    List<String> errors = ResourceModifierRules.apply(modifiers("version: v1\nresourceModifierRules:\n- conditions:\n"
        + "    groupResource: deployments.apps\n  mergePatches:\n"
        + "  - patchData: |\n      metadata:\n        labels:\n          tier: null\n          env: dr\n"
        + "  - patchData: '{\"spec\":{\"replicas\":2}}'\n"), item, "deployments.apps");
    assertEquals(List.of(), errors);
    assertEquals(Json.mapper().readTree("{\"app\":\"web\",\"env\":\"dr\"}"), item.at("/metadata/labels"));
    assertEquals(2, item.at("/spec/replicas").asInt());
    assertEquals(2, item.at("/spec/template/spec/containers").size(), "containers untouched");
  }

  @Test
  void strategicPatchesMergeContainersByName() throws Exception {
    ObjectNode item = deployment();
    List<String> errors = ResourceModifierRules.apply(modifiers("version: v1\nresourceModifierRules:\n- conditions:\n"
        + "    groupResource: deployments.apps\n  strategicPatches:\n  - patchData: |\n"
        + "      spec:\n        template:\n          spec:\n            containers:\n"
        + "            - name: web\n              image: nginx:1.27\n              ports:\n"
        + "              - containerPort: 8443\n                protocol: TCP\n"
        + "            - name: sidecar\n              $patch: delete\n"), item, "deployments.apps");
    assertEquals(List.of(), errors);
    JsonNode containers = item.at("/spec/template/spec/containers");
    assertEquals(1, containers.size());
    assertEquals("nginx:1.27", containers.at("/0/image").asText());
    assertEquals(2, containers.at("/0/ports").size(), "ports merged by containerPort: 80 kept, 8443 added");
  }

  @Test
  void strategicPatchesOfCustomResourcesFailAsTheyAreNotInVelerosScheme() throws Exception {
    ObjectNode widget = (ObjectNode) Json.mapper().readTree("{\"apiVersion\":\"example.rebound.dev/v1\",\"kind\":"
        + "\"Widget\",\"metadata\":{\"name\":\"w\",\"namespace\":\"shop\"},\"spec\":{\"size\":1}}");
    List<String> errors = ResourceModifierRules.apply(modifiers("version: v1\nresourceModifierRules:\n- conditions:\n"
        + "    groupResource: widgets.example.rebound.dev\n  strategicPatches:\n  - patchData: '{\"spec\":{\"size\":2}}'\n"),
        widget, "widgets.example.rebound.dev");
    // Velero's message also names its scheme by the source line that built it; Rebound leaves that out.
    assertEquals(List.of("no kind \"Widget\" is registered for version \"example.rebound.dev/v1\""), errors);
    assertEquals(1, widget.at("/spec/size").asInt());
  }

  @Test
  void withSeveralRulesConditionsSeeTheItemBeforeAnyRule() throws Exception {
    ObjectNode item = deployment();
    // The first rule changes replicas to 1; the second still sees 3 and applies.
    List<String> errors = ResourceModifierRules.apply(modifiers("version: v1\nresourceModifierRules:\n"
        + "- conditions:\n    groupResource: deployments.apps\n  patches:\n"
        + "  - operation: replace\n    path: /spec/replicas\n    value: \"1\"\n"
        + "- conditions:\n    groupResource: deployments.apps\n    matches:\n    - path: /spec/replicas\n      value: \"3\"\n"
        + "  patches:\n  - operation: add\n    path: /metadata/labels/was-three\n    value: marked\n"), item,
        "deployments.apps");
    assertEquals(List.of(), errors);
    assertEquals(1, item.at("/spec/replicas").asInt());
    assertEquals("marked", item.at("/metadata/labels/was-three").asText());
  }
}
