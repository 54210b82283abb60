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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reference 4, {@code velero.io/change-image-name} (Velero's {@code change_image_name_action.go}):
 * container images rewritten through the plugin ConfigMap's {@code "<old>,<new>"} rows. JSON here
 * is written with single quotes.
 */
class ChangeImageNameActionTest {

  private static final String ACTION = "velero.io/change-image-name";

  /** The target cluster as this action sees it: its plugin ConfigMap's data ({@code null}: none). */
  private static TargetLookups withData(Map<String, String> data) {
    return ActionFixtures.pluginConfig(ACTION, data);
  }

  private static ActionOutput run(ObjectNode item, TargetLookups cluster) throws ActionException {
    return new ChangeImageNameAction().execute(new ActionInput(item, item.deepCopy(),
        new ActionInput.RestoreInfo("r", "uid", RestoreSpec.fromBackup("b")), cluster));
  }

  private static ObjectNode pod(String image) throws Exception {
    return (ObjectNode) json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','namespace':'ns'},"
        + "'spec':{'containers':[{'name':'c','image':'" + image + "'}]}}");
  }

  private static String rewritten(String image, Map<String, String> data) throws Exception {
    return run(pod(image), withData(data)).item().at("/spec/containers/0/image").asText();
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        // Velero's own examples for an image 1.1.1.1:5000/abc:test.
        Arguments.of("registry host and port", "1.1.1.1:5000/abc:test", "1.1.1.1:5000,2.2.2.2:3000", "2.2.2.2:3000/abc:test"),
        Arguments.of("blanks around the parts are trimmed", "1.1.1.1:5000/abc:test", "1.1.1.1:5000  ,  2.2.2.2:3000", "2.2.2.2:3000/abc:test"),
        Arguments.of("repository and tag", "1.1.1.1:5000/abc:test", "abc:test,myproject:latest", "1.1.1.1:5000/myproject:latest"),
        Arguments.of("port only", "1.1.1.1:5000/abc:test", "5000,3333", "1.1.1.1:3333/abc:test"),
        Arguments.of("tag only", "1.1.1.1:5000/abc:test", "test,latest", "1.1.1.1:5000/abc:latest"),
        Arguments.of("whole image", "1.1.1.1:5000/abc:test", "1.1.1.1:5000/abc:test,2.2.2.2:3000/edf:test", "2.2.2.2:3000/edf:test"),
        Arguments.of("only the old part is replaced", "dev/image1:dev", "dev/,test/", "test/image1:dev"),
        Arguments.of("every occurrence is replaced", "dev/image1:dev", "dev,prod", "prod/image1:prod"),
        Arguments.of("split at the first comma: the new part keeps later commas", "nginx:1.25", "nginx,a,b", "a,b:1.25"),
        Arguments.of("no match: unchanged", "nginx:1.25", "redis,valkey", "nginx:1.25"),
        Arguments.of("a row without a comma is skipped", "nginx:1.25", "nginx", "nginx:1.25"),
        Arguments.of("a row ending at its comma is skipped", "nginx:1.25", "nginx,", "nginx:1.25"),
        Arguments.of("a new part of blanks removes the old part", "nginx:1.25", "nginx:, ", "1.25"),
        // Go's strings.Replace with an empty pattern inserts the new part around every character.
        Arguments.of("an empty old part matches and inserts everywhere", "ab", ",x", "xaxbx"),
        Arguments.of("Unicode blanks are trimmed as Go trims them", "nginx:1.25", "\u00a0nginx\u3000,\u2002busybox", "busybox:1.25"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void aRowRewritesTheImage(String rule, String image, String row, String expected) throws Exception {
    assertEquals(expected, rewritten(image, Map.of("row", row)), rule);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "the first key's row wins           | a | nginx,first | b | nginx,second | first:1.25",
      "keys, not values, give the order   | b | nginx,second | a | nginx,first | first:1.25",
      "a non-matching first row is passed | a | redis,x     | b | nginx,second | second:1.25",
      "an invalid first row is passed     | a | nginx       | b | nginx,second | second:1.25",
      "only one row is applied            | a | nginx,web   | b | web,site     | web:1.25"
  })
  void rowsAreTriedInDataKeyOrder(String rule, String key1, String row1, String key2, String row2, String expected)
      throws Exception {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(key1, row1);
    data.put(key2, row2);
    assertEquals(expected, rewritten("nginx:1.25", data), rule);
  }

  static Stream<Arguments> kinds() {
    String containers = "{'containers':[{'name':'a','image':'old/app:1'},{'name':'b','image':'other:1'}],"
        + "'initContainers':[{'name':'i','image':'old/init:1'}]}";
    return Stream.of(
        Arguments.of("Pod", "{'spec':" + containers + "}", "/spec"),
        Arguments.of("Deployment", "{'spec':{'template':{'spec':" + containers + "}}}", "/spec/template/spec"),
        Arguments.of("StatefulSet", "{'spec':{'template':{'spec':" + containers + "}}}", "/spec/template/spec"),
        Arguments.of("DaemonSet", "{'spec':{'template':{'spec':" + containers + "}}}", "/spec/template/spec"),
        Arguments.of("ReplicaSet", "{'spec':{'template':{'spec':" + containers + "}}}", "/spec/template/spec"),
        Arguments.of("ReplicationController", "{'spec':{'template':{'spec':" + containers + "}}}", "/spec/template/spec"),
        Arguments.of("Job", "{'spec':{'template':{'spec':" + containers + "}}}", "/spec/template/spec"),
        Arguments.of("CronJob", "{'spec':{'jobTemplate':{'spec':{'template':{'spec':" + containers + "}}}}}",
            "/spec/jobTemplate/spec/template/spec"),
        // The path is chosen by kind alone: any other kind is read as a pod template owner.
        Arguments.of("SomethingElse", "{'spec':{'template':{'spec':" + containers + "}}}", "/spec/template/spec"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void containersAndInitContainersAreFoundByKind(String kind, String body, String podSpec) throws Exception {
    ObjectNode item = (ObjectNode) json(body);
    item.put("kind", kind);
    ActionOutput out = run(item, withData(Map.of("registry", "old/,new/")));
    assertSame(item, out.item());
    assertEquals("new/app:1", out.item().at(podSpec + "/containers/0/image").asText(), kind);
    assertEquals("other:1", out.item().at(podSpec + "/containers/1/image").asText(), kind);
    assertEquals("new/init:1", out.item().at(podSpec + "/initContainers/0/image").asText(), kind);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "a Pod's template field is not looked at     | Pod        | {'spec':{'template':{'spec':{'containers':[{'image':'old/a'}]}}}}",
      "a CronJob's plain template is not looked at | CronJob    | {'spec':{'template':{'spec':{'containers':[{'image':'old/a'}]}}}}",
      "a Deployment's spec.containers is not       | Deployment | {'spec':{'containers':[{'image':'old/a'}]}}",
      "no containers at all                        | Deployment | {'spec':{'template':{'spec':{}}}}",
      "a null spec reads as missing                | Deployment | {'spec':null}",
      "an empty containers list                    | Pod        | {'spec':{'containers':[],'initContainers':[]}}",
      "a container without image                   | Pod        | {'spec':{'containers':[{'name':'c'}]}}",
      "an empty image is kept                      | Pod        | {'spec':{'containers':[{'name':'c','image':''}]}}"
  })
  void itemsWithoutMatchingImagesAreUnchanged(String rule, String kind, String body) throws Exception {
    ObjectNode item = (ObjectNode) json(body);
    item.put("kind", kind);
    ObjectNode before = item.deepCopy();
    // ",x" would match any non-empty image it reached.
    ActionOutput out = run(item, withData(Map.of("registry", "old/,new/", "all", ",x")));
    assertEquals(before, out.item(), rule);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void withoutMappingsNothingChanges(String rule, TargetLookups cluster) throws Exception {
    ObjectNode item = pod("nginx:1.25");
    ObjectNode before = item.deepCopy();
    ActionOutput out = run(item, cluster);
    assertEquals(before, out.item(), rule);
    assertFalse(out.skipRestore(), rule);
  }

  static Stream<Arguments> configs() {
    return Stream.of(
        Arguments.of("no plugin ConfigMap", withData(null)),
        Arguments.of("a ConfigMap without data", withData(Map.of())));
  }

  @Test
  void aPluginConfigLookupFailureFailsTheItemEvenWithNothingToRewrite() throws Exception {
    ActionException failure = new ActionException("found more than one ConfigMap matching label selector "
        + "\"velero.io/plugin-config,velero.io/change-image-name=RestoreItemAction\": [a b]");
    ObjectNode item = (ObjectNode) json("{'kind':'Deployment','spec':{}}");
    ActionException e = assertThrows(ActionException.class,
        () -> run(item, ActionFixtures.failingPluginConfig(ACTION, failure)));
    assertSame(failure, e);
  }

  static Stream<Arguments> malformed() {
    String wrap = "error getting item's spec.containers: error getting item's spec.containers: ";
    return Stream.of(
        Arguments.of("containers not a list", "Pod", "{'spec':{'containers':'x'}}",
            wrap + ".spec.containers accessor error: x is of the type string, expected []interface{}"),
        // Velero wraps the init containers' failure with the same "spec.containers" text.
        Arguments.of("initContainers null", "Deployment",
            "{'spec':{'template':{'spec':{'containers':[],'initContainers':null}}}}",
            wrap + ".spec.template.spec.initContainers accessor error: <nil> is of the type <nil>, expected []interface{}"),
        Arguments.of("a Pod's spec not an object", "Pod", "{'spec':7}",
            wrap + ".spec.containers accessor error: 7 is of the type int64, expected map[string]interface{}"),
        Arguments.of("a CronJob's jobTemplate a list", "CronJob", "{'spec':{'jobTemplate':[1]}}",
            wrap + ".spec.jobTemplate.spec accessor error: [1] is of the type []interface {}, expected map[string]interface{}"),
        Arguments.of("a container not an object", "Pod", "{'spec':{'containers':['nginx']}}",
            "plugin panicked: interface conversion: interface {} is string, not map[string]interface {}"),
        Arguments.of("a null container", "Pod", "{'spec':{'containers':[null]}}",
            "plugin panicked: interface conversion: interface {} is nil, not map[string]interface {}"),
        Arguments.of("an image not a string", "Pod", "{'spec':{'containers':[{'image':5}]}}",
            "plugin panicked: interface conversion: interface {} is int64, not string"),
        Arguments.of("a null image", "Pod", "{'spec':{'initContainers':[{'image':null}]}}",
            "plugin panicked: interface conversion: interface {} is nil, not string"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedContainersFailWithVelerosMessage(String rule, String kind, String body, String message)
      throws Exception {
    ObjectNode item = (ObjectNode) json(body);
    item.put("kind", kind);
    ActionException e = assertThrows(ActionException.class,
        () -> run(item, withData(Map.of("row", "a,b"))), rule);
    assertEquals(message, e.getMessage(), rule);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "deployments.apps, true", "statefulsets.apps, true", "daemonsets.apps, true", "replicasets.apps, true",
      "replicationcontrollers, true", "jobs.batch, true", "cronjobs.batch, true", "pods, true",
      "deployments, false", "podtemplates, false", "deployments.apps.example.com, false"
  })
  void appliesToThePodOwningWorkloads(String groupResource, boolean applies) {
    assertEquals(applies, new ChangeImageNameAction().appliesTo(groupResource));
    assertEquals("velero.io/change-image-name", new ChangeImageNameAction().name());
  }

  @Test
  void goHelpersBehaveAsGosStringFunctions() {
    List<String> results = new ArrayList<>();
    results.add(ChangeImageNameAction.goTrimSpace(" \t\n\u000b\f\r\u0085\u00a0x y\u2028\u3000"));
    results.add(ChangeImageNameAction.goReplaceAll("n\uD83D\uDE00", "", "-"));
    results.add(ChangeImageNameAction.goReplaceAll("aaa", "aa", "b"));
    assertEquals(List.of("x y", "-n-\uD83D\uDE00-", "ba"), results);
  }
}
