package dev.rebound.model.velero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue 13 scope 5: inline resource modifiers are checked with Velero's messages (reference 2.5 step 11). */
class InlineResourceModifiersTest {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final String VALID = "version: v1\nresourceModifierRules:\n- conditions:\n    groupResource: deployments.apps\n"
      + "  patches:\n  - operation: replace\n    path: /spec/replicas\n    value: \"1\"\n";

  private static Restore restore(String name, Map<String, String> annotations, RestoreSpec spec) {
    return Restore.of(new ObjectMeta(name, "velero", "u", null, null, null, annotations), spec);
  }

  @Test
  void aValidDocumentPointsTheSpecAtTheRestoresConfigMap() {
    Restore resolved = InlineResourceModifiers.resolve(restore("r1",
        Map.of(InlineResourceModifiers.ANNOTATION, VALID), RestoreSpec.fromBackup("b")));
    assertEquals(new RestoreSpec.TypedLocalObjectReference("", "ConfigMap", "r1-resource-modifiers"),
        resolved.spec().resourceModifier());
    assertTrue(InlineResourceModifiers.madeFor(resolved));
    assertEquals("b", resolved.spec().backupName());
  }

  @Test
  void withoutTheAnnotationNothingChanges() {
    Restore plain = restore("r1", Map.of(), RestoreSpec.fromBackup("b"));
    assertSame(plain, InlineResourceModifiers.resolve(plain));
  }

  @Test
  void invalidDocumentsGetVelerosMessages() {
    assertEquals("Validation error in resource modifiers provided in configmap velero/r1-resource-modifiers: "
        + "resource modifier rules cannot be empty", message("version: v1\nresourceModifierRules: []\n"));
    assertEquals("Validation error in resource modifiers provided in configmap velero/r1-resource-modifiers: "
        + "unsupported resource modifier version v2", message(VALID.replace("v1", "v2")));
    assertEquals("Validation error in resource modifiers provided in configmap velero/r1-resource-modifiers: "
        + "unsupported operation rename", message(VALID.replace("replace", "rename")));
    assertEquals("Validation error in resource modifiers provided in configmap velero/r1-resource-modifiers: "
        + "groupkResource cannot be empty", message(VALID.replace("deployments.apps", "\"\"")));
    String unknownField = message(VALID.replace("patches:", "patchez:"));
    assertTrue(unknownField.startsWith("Error in parsing resource modifiers provided in configmap "
        + "velero/r1-resource-modifiers: failed to decode yaml data into resource modifiers, err: "), unknownField);
    assertTrue(unknownField.contains("patchez"), unknownField);
    assertTrue(message("version: [v1\n").startsWith("Error in parsing resource modifiers provided in configmap "
        + "velero/r1-resource-modifiers: failed to decode yaml data into resource modifiers, err: "));
    assertTrue(message(" \n").contains("is empty"));
  }

  @Test
  void aConfigMapAndAnInlineDocumentCannotBothBeGiven() {
    RestoreSpec named = RestoreSpec.fromBackup("b").withResourceModifier(
        new RestoreSpec.TypedLocalObjectReference("", "configmap", "mine"));
    var e = assertThrows(IllegalArgumentException.class, () -> InlineResourceModifiers.resolve(
        restore("r1", Map.of(InlineResourceModifiers.ANNOTATION, VALID), named)));
    assertEquals("annotation rebound.dev/resource-modifiers and spec.resourceModifier cannot both be set: give the "
        + "resource modifiers inline or name a ConfigMap, not both", e.getMessage());
  }

  @Test
  void longRestoreNamesStillGiveValidDistinctConfigMapNames() {
    String a = "a".repeat(240) + ".x-1";
    String b = "a".repeat(240) + ".x-2";
    String cmA = InlineResourceModifiers.configMapName(a);
    assertTrue(cmA.length() <= 253 && NAME.matcher(cmA).matches(), cmA);
    assertTrue(cmA.endsWith("-resource-modifiers"));
    assertTrue(!cmA.equals(InlineResourceModifiers.configMapName(b)));
    String dotted = "a".repeat(225) + "." + "b".repeat(27);
    String cm = InlineResourceModifiers.configMapName(dotted);
    assertTrue(cm.length() <= 253 && NAME.matcher(cm).matches(), cm);
    assertEquals("short-resource-modifiers", InlineResourceModifiers.configMapName("short"));
  }

  private static String message(String document) {
    return assertThrows(IllegalArgumentException.class, () -> InlineResourceModifiers.resolve(
        restore("r1", Map.of(InlineResourceModifiers.ANNOTATION, document), RestoreSpec.fromBackup("b"))))
        .getMessage();
  }
}
