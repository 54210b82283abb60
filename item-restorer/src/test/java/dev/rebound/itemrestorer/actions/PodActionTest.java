package dev.rebound.itemrestorer.actions;

import static dev.rebound.itemrestorer.actions.ActionFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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

/** Reference 4, {@code velero.io/pod}: a backed-up pod made schedulable in another cluster. */
class PodActionTest {

  private static final PodAction ACTION = new PodAction();

  static Stream<Arguments> specs() {
    return Stream.of(
        Arguments.of("nodeName and priority are removed, the rest kept",
            "{'nodeName':'node-1','priority':1000,'schedulerName':'default-scheduler','containers':[{'name':'c','image':'i'}]}",
            "{'schedulerName':'default-scheduler','containers':[{'name':'c','image':'i'}]}"),
        Arguments.of("preemptionPolicy and priorityClassName stay",
            "{'priority':5,'priorityClassName':'high','preemptionPolicy':'Never'}",
            "{'priorityClassName':'high','preemptionPolicy':'Never'}"),
        Arguments.of("token volume of the service account and its mounts are dropped everywhere",
            "{'serviceAccountName':'app','volumes':[{'name':'app-token-x1z2','secret':{'secretName':'app-token-x1z2'}},"
                + "{'name':'data','emptyDir':{}}],"
                + "'containers':[{'name':'c','volumeMounts':[{'name':'app-token-x1z2','mountPath':'/var/run/secrets'},"
                + "{'name':'data','mountPath':'/data'}]}],"
                + "'initContainers':[{'name':'i','volumeMounts':[{'name':'app-token-x1z2','mountPath':'/t'}]}]}",
            "{'serviceAccountName':'app','volumes':[{'name':'data','emptyDir':{}}],"
                + "'containers':[{'name':'c','volumeMounts':[{'name':'data','mountPath':'/data'}]}],"
                + "'initContainers':[{'name':'i'}]}"),
        Arguments.of("lists left empty are removed",
            "{'serviceAccountName':'app','volumes':[{'name':'app-token-abc'}],"
                + "'containers':[{'name':'c','volumeMounts':[{'name':'app-token-abc','mountPath':'/t'}]}]}",
            "{'serviceAccountName':'app','containers':[{'name':'c'}]}"),
        Arguments.of("another service account's token volume is kept",
            "{'serviceAccountName':'app','volumes':[{'name':'default-token-abc'},{'name':'application-token-x'}]}",
            "{'serviceAccountName':'app','volumes':[{'name':'default-token-abc'},{'name':'application-token-x'}]}"),
        Arguments.of("projected kube-api-access volume is kept",
            "{'serviceAccountName':'app','volumes':[{'name':'kube-api-access-9x8z','projected':{}}]}",
            "{'serviceAccountName':'app','volumes':[{'name':'kube-api-access-9x8z','projected':{}}]}"),
        Arguments.of("empty serviceAccountName: prefix is '-token-', default's token volume kept (Velero quirk)",
            "{'volumes':[{'name':'default-token-abc'},{'name':'-token-odd'}]}",
            "{'volumes':[{'name':'default-token-abc'}]}"),
        Arguments.of("deprecated serviceAccount is not used (Velero quirk)",
            "{'serviceAccount':'app','volumes':[{'name':'app-token-abc'}]}",
            "{'serviceAccount':'app','volumes':[{'name':'app-token-abc'}]}"),
        Arguments.of("unknown fields survive (no Go round trip)",
            "{'nodeName':'n','futureField':{'x':1},'containers':[{'name':'c','futureContainerField':true}]}",
            "{'futureField':{'x':1},'containers':[{'name':'c','futureContainerField':true}]}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void podSpecIsClearedOfSourceClusterStatePerReference4(String rule, String spec, String expected) throws Exception {
    ActionOutput out = ACTION.execute(input(pod(spec)));

    assertEquals(json(expected), out.item().get("spec"), rule);
    assertFalse(out.skipRestore(), rule);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "no priority class           | {}                               | ",
      "empty priority class        | {'priorityClassName':''}         | ",
      "priority class is requested | {'priorityClassName':'critical'} | critical"
  })
  void priorityClassIsAnAdditionalClusterScopedItemPerReference4(String rule, String spec, String priorityClass)
      throws Exception {
    ActionOutput out = ACTION.execute(input(pod(spec)));

    List<AdditionalItem> expected = priorityClass == null ? List.of()
        : List.of(new AdditionalItem("priorityclasses.scheduling.k8s.io", "", priorityClass));
    assertEquals(expected, out.additionalItems(), rule);
  }

  @Test
  void podWithoutSpecGoesOnUnchangedPerReference4() throws Exception {
    ObjectNode pod = (ObjectNode) json("{'kind':'Pod','metadata':{'name':'p','namespace':'ns'}}");
    ActionOutput out = ACTION.execute(input(pod));
    assertEquals(json("{'kind':'Pod','metadata':{'name':'p','namespace':'ns'}}"), out.item());
    assertEquals(List.of(), out.additionalItems());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "volumes not a list      | {'volumes':{}}                             | cannot restore slice from map",
      "containers not a list   | {'containers':'c'}                         | cannot restore slice from string",
      "volume name not text    | {'volumes':[{'name':3}]}                   | cannot convert int64 to string",
      "service account not text| {'serviceAccountName':['a']}               | unrecognized type: string"
  })
  void malformedPodFailsWithTheConverterMessagePerReference4(String rule, String spec, String error) {
    ActionException e = assertThrows(ActionException.class, () -> ACTION.execute(input(pod(spec))), rule);
    assertEquals(error, e.getMessage(), rule);
  }

  @Test
  void appliesToPodsOnlyUnderVelerosNamePerReference4() {
    assertEquals("velero.io/pod", ACTION.name());
    assertTrue(ACTION.appliesTo("pods"));
    assertFalse(ACTION.appliesTo("podtemplates"));
  }


  private static ObjectNode pod(String spec) throws Exception {
    return (ObjectNode) json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','namespace':'ns'},'spec':" + spec + "}");
  }

  private static ActionInput input(ObjectNode pod) {
    return new ActionInput(pod, pod.deepCopy(),
        new ActionInput.RestoreInfo("r", "uid", RestoreSpec.fromBackup("b")), ActionFixtures.NO_LOOKUPS);
  }

}
