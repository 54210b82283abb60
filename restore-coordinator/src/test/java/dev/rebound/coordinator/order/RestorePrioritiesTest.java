package dev.rebound.coordinator.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reference 3.4: default priorities, the flag format and the resulting order. */
class RestorePrioritiesTest {

  static Stream<Arguments> flags() {
    return Stream.of(
        Arguments.of("no separator: all high", "a,b", List.of("a", "b"), List.of()),
        Arguments.of("separator in the middle", "a,b,-,c,d", List.of("a", "b"), List.of("c", "d")),
        Arguments.of("leading separator: only low", "-,c", List.of(), List.of("c")),
        Arguments.of("trailing separator: only high", "a,-", List.of("a"), List.of()),
        Arguments.of("separator alone: nothing", "-", List.of(), List.of()));
  }

  @ParameterizedTest(name = "3.4 flag {1}: {0}")
  @MethodSource("flags")
  void parsesVelerosFlagFormat(String name, String flag, List<String> high, List<String> low) {
    RestorePriorities p = RestorePriorities.parse(flag);
    assertEquals(high, p.high());
    assertEquals(low, p.low());
  }

  @Test
  void moreThanOneSeparatorIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RestorePriorities.parse("a,-,b,-,c"));
    assertEquals("multiple priority separator \"-\" found", e.getMessage());
  }

  @Test
  void emptyFlagKeepsTheDefaults() {
    assertEquals(RestorePriorities.DEFAULT, RestorePriorities.parse(""));
  }

  @Test
  void defaultsAreVelero118sListsInOrder() {
    assertEquals("customresourcedefinitions,namespaces,storageclasses,volumesnapshotclass.snapshot.storage.k8s.io,"
        + "volumesnapshotcontents.snapshot.storage.k8s.io,volumesnapshots.snapshot.storage.k8s.io,datauploads.velero.io,"
        + "persistentvolumes,persistentvolumeclaims,clusterroles,roles,serviceaccounts,clusterrolebindings,rolebindings,"
        + "secrets,configmaps,limitranges,priorityclasses,pods,replicasets.apps,clusterclasses.cluster.x-k8s.io,"
        + "endpoints,services,-,clusterbootstraps.run.tanzu.vmware.com,clusters.cluster.x-k8s.io,"
        + "clusterresourcesets.addons.cluster.x-k8s.io,apps.kappctrl.k14s.io,packageinstalls.packaging.carvel.dev",
        RestorePriorities.DEFAULT.toString());
  }

  @Test
  void unlistedResourcesGoAlphabeticallyBetweenHighAndLow() {
    RestorePriorities p = RestorePriorities.parse("namespaces,pods,-,clusters.cluster.x-k8s.io");
    List<String> order = p.order(Set.of("pods", "deployments.apps", "configmaps", "namespaces", "Zeta.example.com"));
    assertEquals(List.of("namespaces", "pods", "Zeta.example.com", "configmaps", "deployments.apps",
        "clusters.cluster.x-k8s.io"), order, "plain string sort puts upper case first, as Go's sort.Strings");
  }
}
