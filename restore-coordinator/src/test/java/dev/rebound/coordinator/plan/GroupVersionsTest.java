package dev.rebound.coordinator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference 3.9: Velero's API group version choice with {@code EnableAPIGroupVersions}. */
class GroupVersionsTest {

  private static List<String> list(String spaced) {
    return spaced == null || spaced.isBlank() ? List.of() : Arrays.asList(spaced.trim().split(" +"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // rule | source versions | source preferred | target versions | target preferred | user | chosen dir
      "0: the user's first common version            | v2 v1 v2beta2 | v2 | v1 v2beta1 v2beta2 | v1 | v2beta2 v1 | v2beta2",
      "0: a user version the source lacks is passed | v2 v1         | v2 | v1 v2beta2         | v1 | v2beta2 v1 | v1",
      "1: the target's preferred version, if backed up | v2 v1 v2beta2 | v2 | v1 v2beta2      | v1 |            | v1",
      "1: which is the source's preferred too        | v1 v2beta2    | v1 | v1 v2beta2         | v1 |            | v1-preferredversion",
      "2: else the source's preferred, if served     | v2 v2beta2    | v2 | v2 v1              | v1 |            | v2-preferredversion",
      "3: else the best common non-first version     | v3 v2beta2 v1beta1 | v3 | v2 v2beta2 v1beta1 | v2 |      | v2beta2",
      "3: Velero skips each list's first version     | v3 v2         | v3 | v2 v1              | v1 |            | v3-preferredversion",
      "4: else the source's preferred                | v3 v1alpha1   | v3 | v2 v1              | v2 |            | v3-preferredversion"
  })
  void theChosenVersionFollowsVelerosPriorities(String rule, String source, String sourcePreferred, String target,
      String targetPreferred, String user, String dir) {
    String gr = "horizontalpodautoscalers.autoscaling";
    Map<String, GroupVersions.Chosen> chosen = GroupVersions.choose(Map.of(gr, new TreeSet<>(list(source))),
        Map.of(gr, sourcePreferred), Map.of("autoscaling", new GroupVersions.TargetGroup(targetPreferred, list(target))),
        user == null ? Map.of() : Map.of(gr, list(user)));
    assertEquals(dir, chosen.get(gr).dir(), rule);
  }

  @Test
  void aGroupTheTargetDoesNotServeKeepsTheSourcesPreferredVersion() {
    var chosen = GroupVersions.choose(Map.of("widgets.example.com", new TreeSet<>(List.of("v1", "v2"))),
        Map.of("widgets.example.com", "v2"), Map.of(), Map.of());
    assertEquals(new GroupVersions.Chosen("v2", "v2-preferredversion"), chosen.get("widgets.example.com"));
  }

  @Test
  void kubernetesVersionPriorityPutsGaBeforeBetaBeforeAlphaThenOthers() {
    List<String> versions = new ArrayList<>(List.of("v1alpha1", "foo", "v2beta1", "v1", "v10", "v11alpha2", "v2",
        "v12alpha1", "v3beta1", "v1beta2", "bar"));
    versions.sort(GroupVersions.KUBE_PRIORITY);
    assertEquals(List.of("v10", "v2", "v1", "v3beta1", "v2beta1", "v1beta2", "v12alpha1", "v11alpha2", "v1alpha1",
        "bar", "foo"), versions);
  }

  @Test
  void userPrioritiesAreParsedAsVeleroParsesThem() {
    assertEquals(Map.of("rockbands.music.example.io", List.of("v2beta1", "v2beta2"),
            "orchestras.music.example.io", List.of("v2", "v3alpha1")),
        GroupVersions.userPriorities("rockbands.music.example.io= v2beta1, v2beta2\n\norchestras.music.example.io=v2,v3alpha1\n"
            + "broken\ntwo=equal=signs\n=v1\nnothing="));
  }
}
