package dev.rebound.model.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rebound.model.velero.ObjectMeta;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestoreSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code rebound.dev/namespace-mappings.<cluster>} annotations: parsed as Velero's flag, merged per cluster. */
class ClusterNamespaceMappingsTest {

  private static final List<String> TARGETS = List.of("default", "east");

  private static Restore restore(Map<String, String> annotations, Map<String, String> specMapping) {
    RestoreSpec spec = RestoreSpec.fromBackup("nightly").withNamespaceMapping(specMapping);
    return new Restore(Restore.API_VERSION, Restore.KIND, new ObjectMeta("r1", "velero", "u", null, null, null,
        annotations), spec, null);
  }

  @Test
  void aClusterMappingIsMergedOverTheSpecsForThatClusterOnly() {
    Restore r = restore(Map.of("rebound.dev/namespace-mappings.east", "shop:shop-east, web:web-east"),
        Map.of("shop", "shop-restored", "db", "db-restored"));
    assertEquals(List.of(), ClusterNamespaceMappings.validate(r, TARGETS));
    assertEquals(Map.of("shop", "shop-east", "web", "web-east", "db", "db-restored"),
        ClusterNamespaceMappings.forCluster(r, r.spec(), "east").namespaceMapping());
    assertSame(r.spec(), ClusterNamespaceMappings.forCluster(r, r.spec(), "default"), "no annotation: the spec itself");
  }

  @Test
  void withoutASpecMappingTheClustersIsTheWholeMapping() {
    Restore r = restore(Map.of(ClusterNamespaceMappings.annotation("east"), "a:b,a:c"), null);
    assertEquals(Map.of("a", "c"), ClusterNamespaceMappings.forCluster(r, r.spec(), "east").namespaceMapping(),
        "a later entry for the same source wins, as in Velero's flag");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "shop                 | error parsing \"shop\"",
      "''                   | error parsing \"\"",
      "shop:shop-east,      | error parsing \"\"",
      "shop:                | error parsing \"shop:\": a namespace name cannot be empty",
      "':shop'              | error parsing \":shop\": a namespace name cannot be empty"})
  void anUnparsableMappingIsAValidationError(String value, String error) {
    Restore r = restore(Map.of("rebound.dev/namespace-mappings.east", value), null);
    assertEquals(List.of("Invalid annotation rebound.dev/namespace-mappings.east: " + error),
        ClusterNamespaceMappings.validate(r, TARGETS));
    assertThrows(IllegalArgumentException.class, () -> ClusterNamespaceMappings.forCluster(r, r.spec(), "east"));
  }

  @Test
  void aMappingForAClusterTheRestoreDoesNotTargetIsAValidationError() {
    Restore r = restore(Map.of("rebound.dev/namespace-mappings.west", "a:b", "rebound.dev/namespace-mappings.east",
        "a:b", "rebound.dev/namespace-mappings.", "a:b"), null);
    assertEquals(List.of(
        "Invalid annotation rebound.dev/namespace-mappings.: \"\" is not a target cluster of this restore (default, east)",
        "Invalid annotation rebound.dev/namespace-mappings.west: \"west\" is not a target cluster of this restore "
            + "(default, east)"), ClusterNamespaceMappings.validate(r, TARGETS));
  }

  @Test
  void noAnnotationsNoErrors() {
    assertEquals(List.of(), ClusterNamespaceMappings.validate(restore(null, null), TARGETS));
    Restore r = restore(Map.of("rebound.dev/namespace-mappingsX", "not one of ours"), null);
    assertEquals(List.of(), ClusterNamespaceMappings.validate(r, TARGETS));
  }
}
