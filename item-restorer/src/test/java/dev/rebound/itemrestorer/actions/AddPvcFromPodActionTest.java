package dev.rebound.itemrestorer.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.actions.ActionOutput.AdditionalItem;
import dev.rebound.model.Json;
import dev.rebound.model.velero.RestoreSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Reference 4, {@code velero.io/add-pvc-from-pod}: a pod's claims are restored before the pod. */
class AddPvcFromPodActionTest {

  private static final AddPvcFromPodAction ACTION = new AddPvcFromPodAction();

  static Stream<Arguments> pods() {
    return Stream.of(
        Arguments.of("no volumes at all", "{}", List.of()),
        Arguments.of("volumes without claims", "{'volumes':[{'name':'tmp','emptyDir':{}},{'name':'cfg','configMap':{'name':'c'}}]}",
            List.of()),
        Arguments.of("claims in volume order, other volumes ignored",
            "{'volumes':[{'name':'a','persistentVolumeClaim':{'claimName':'data-b'}},{'name':'tmp','emptyDir':{}},"
                + "{'name':'c','persistentVolumeClaim':{'claimName':'data-a','readOnly':true}}]}",
            List.of("data-b", "data-a")),
        Arguments.of("one claim on two volumes is asked for twice",
            "{'volumes':[{'name':'a','persistentVolumeClaim':{'claimName':'d'}},{'name':'b','persistentVolumeClaim':{'claimName':'d'}}]}",
            List.of("d", "d")),
        Arguments.of("a claim without claimName is asked for with an empty name",
            "{'volumes':[{'name':'a','persistentVolumeClaim':{}}]}", List.of("")),
        Arguments.of("persistentVolumeClaim null is no claim",
            "{'volumes':[{'name':'a','persistentVolumeClaim':null}]}", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pods")
  void everyClaimOfThePodIsAnAdditionalItemPerReference4(String rule, String spec, List<String> claims) throws Exception {
    ObjectNode pod = pod("src", spec);
    ObjectNode before = pod.deepCopy();

    ActionOutput out = ACTION.execute(input(pod, Map.of("src", "dst")));

    List<AdditionalItem> expected = claims.stream()
        .map(c -> new AdditionalItem("persistentvolumeclaims", "src", c)).toList();
    assertEquals(expected, out.additionalItems(), rule + ": claims, named in the source namespace");
    assertEquals(before, out.item(), rule + ": the pod is not changed");
    assertFalse(out.skipRestore());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "volumes not a list   | {'volumes':'data'}                                  | cannot restore slice from string",
      "volume not an object | {'volumes':[7]}                                     | cannot restore struct from: int64",
      "claim not an object  | {'volumes':[{'name':'a','persistentVolumeClaim':[]}]} | cannot restore struct from: slice",
      "claimName not text   | {'volumes':[{'name':'a','persistentVolumeClaim':{'claimName':true}}]} | unrecognized type: string"
  })
  void malformedPodFailsWithVelerosConversionErrorPerReference4(String rule, String spec, String error) {
    ActionException e = assertThrows(ActionException.class, () -> ACTION.execute(input(pod("src", spec), Map.of())), rule);
    assertEquals("unable to convert unstructured item to pod: " + error, e.getMessage(), rule);
  }

  @Test
  void appliesToPodsOnlyUnderVelerosNamePerReference4() {
    assertEquals("velero.io/add-pvc-from-pod", ACTION.name());
    assertTrue(ACTION.appliesTo("pods"));
    assertFalse(ACTION.appliesTo("persistentvolumeclaims"));
    assertFalse(ACTION.appliesTo("pods.metrics.k8s.io"));
  }

  private static ObjectNode pod(String namespace, String spec) throws Exception {
    return (ObjectNode) Json.mapper().readTree(("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','namespace':'"
        + namespace + "'},'spec':" + spec + "}").replace('\'', '"'));
  }

  private static ActionInput input(ObjectNode pod, Map<String, String> mapping) throws Exception {
    RestoreSpec spec = Json.mapper().convertValue(Map.of("backupName", "b", "namespaceMapping", mapping), RestoreSpec.class);
    return new ActionInput(pod, pod.deepCopy(), new ActionInput.RestoreInfo("r", "uid", spec), ActionFixtures.NO_LOOKUPS);
  }

}
