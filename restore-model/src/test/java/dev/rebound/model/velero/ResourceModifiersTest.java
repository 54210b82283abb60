package dev.rebound.model.velero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reference 5 and 2.5 step 11: reading and validating Velero's resource modifiers document. */
class ResourceModifiersTest {

  private static final String VALID = """
      version: v1
      resourceModifierRules:
      - conditions:
          groupResource: deployments.apps
          resourceNameRegex: "^web-.*$"
          namespaces: [shop]
          labelSelector: {matchLabels: {app: web}}
          matches:
          - path: /spec/replicas
            value: "3"
        patches:
        - operation: replace
          path: /spec/replicas
          value: "1"
      - conditions:
          groupResource: persistentvolumeclaims
        mergePatches:
        - patchData: |
            {"spec": {"storageClassName": "fast"}}
      """;

  static ResourceModifiers read(String yaml) {
    return ResourceModifiers.fromConfigMapData("velero", "modifiers", Map.of("rules.yaml", yaml));
  }

  @Test
  void velerosDocumentIsReadWithEveryField() {
    ResourceModifiers m = read(VALID);
    assertEquals(Optional.empty(), m.validate());
    ResourceModifiers.Rule first = m.resourceModifierRules().get(0);
    assertEquals("^web-.*$", first.conditions().resourceNameRegex());
    assertEquals(new ResourceModifiers.MatchRule("/spec/replicas", "3"), first.conditions().matches().get(0));
    assertEquals(new ResourceModifiers.JsonPatch("replace", null, "/spec/replicas", "1"), first.patches().get(0));
    assertTrue(m.resourceModifierRules().get(1).mergePatches().get(0).patchData().contains("storageClassName"));
  }

  @Test
  void configMapMustHaveExactlyOneDataKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ResourceModifiers.fromConfigMapData("velero", "mods", Map.of("a", VALID, "b", VALID)));
    assertEquals("illegal resource modifiers velero/mods configmap", e.getMessage());
  }

  static Stream<Arguments> undecodable() {
    return Stream.of(
        Arguments.of("an unknown field is rejected", "version: v1\nresourceModifierRules: []\nextra: 1\n"),
        Arguments.of("a number where Velero has a string is rejected",
            "version: v1\nresourceModifierRules:\n- conditions: {groupResource: pods}\n  patches: [{operation: replace, path: /a, value: 3}]\n"),
        Arguments.of("text that is not YAML is rejected", "version: [v1\n"));
  }

  @ParameterizedTest(name = "5: {0}")
  @MethodSource("undecodable")
  void strictDecodingFailsWithVelerosPrefix(String name, String yaml) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(yaml));
    assertTrue(e.getMessage().startsWith("failed to decode yaml data into resource modifiers, err: "), e.getMessage());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("version other than v1", "version: v2\nresourceModifierRules: [{conditions: {groupResource: pods}, patches: [{operation: add, path: /a}]}]\n",
            "unsupported resource modifier version v2"),
        Arguments.of("version compared case-insensitively", "version: V1\nresourceModifierRules: [{conditions: {groupResource: pods}, patches: [{operation: add, path: /a}]}]\n",
            null),
        Arguments.of("no rules", "version: v1\nresourceModifierRules: []\n", "resource modifier rules cannot be empty"),
        Arguments.of("empty groupResource", "version: v1\nresourceModifierRules: [{conditions: {groupResource: ''}, patches: [{operation: add, path: /a}]}]\n",
            "groupkResource cannot be empty"),
        Arguments.of("two kinds of patches", "version: v1\nresourceModifierRules: [{conditions: {groupResource: pods}, patches: [{operation: add, path: /a}], mergePatches: [{patchData: '{}'}]}]\n",
            "only one of patches, mergePatches, strategicPatches can be specified"),
        Arguments.of("empty operation", "version: v1\nresourceModifierRules: [{conditions: {groupResource: pods}, patches: [{path: /a}]}]\n",
            "operation cannot be empty"),
        Arguments.of("unknown operation", "version: v1\nresourceModifierRules: [{conditions: {groupResource: pods}, patches: [{operation: upsert, path: /a}]}]\n",
            "unsupported operation upsert"),
        Arguments.of("operation case-insensitive", "version: v1\nresourceModifierRules: [{conditions: {groupResource: pods}, patches: [{operation: Replace, path: /a}]}]\n",
            null),
        Arguments.of("empty path", "version: v1\nresourceModifierRules: [{conditions: {groupResource: pods}, patches: [{operation: remove}]}]\n",
            "path cannot be empty"));
  }

  @ParameterizedTest(name = "5: {0}")
  @MethodSource("invalid")
  void validationGivesVelerosFirstError(String name, String yaml, String error) {
    assertEquals(Optional.ofNullable(error), read(yaml).validate());
  }
}
