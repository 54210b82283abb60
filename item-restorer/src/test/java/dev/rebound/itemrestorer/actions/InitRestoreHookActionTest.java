package dev.rebound.itemrestorer.actions;

import static dev.rebound.itemrestorer.actions.ActionFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import dev.rebound.model.velero.RestoreSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reference 3.13 "Init hooks" and reference 4, {@code velero.io/init-restore-hook}. */
class InitRestoreHookActionTest {

  private static final InitRestoreHookAction ACTION = new InitRestoreHookAction(() -> "deadbeef");

  /** A valid hook container. */
  private static String c(String name) {
    return "{'name':'" + name + "','image':'busybox','command':['sh','-c','true']}";
  }

  private static String hook(String selectorFields, String... containers) {
    return "{'name':'h'" + selectorFields + ",'postHooks':[{'init':{'initContainers':[" + String.join(",", containers)
        + "]}}]}";
  }

  static Stream<Arguments> specHooks() {
    return Stream.of(
        Arguments.of("no hooks: init containers unchanged", "", "[]", "{}", List.of("i1", "i2")),
        Arguments.of("matching hook containers come before the pod's own, in spec order", "",
            "[" + hook(",'includedNamespaces':['src']", c("h1"), c("h2")) + "]", "{}", List.of("h1", "h2", "i1", "i2")),
        Arguments.of("namespace filter sees the MAPPED namespace: target listed", "",
            "[" + hook(",'includedNamespaces':['dst']", c("h1")) + "]", "{'src':'dst'}", List.of("h1", "i1", "i2")),
        Arguments.of("namespace filter sees the MAPPED namespace: source listed does not match", "",
            "[" + hook(",'includedNamespaces':['src']", c("h1")) + "]", "{'src':'dst'}", List.of("i1", "i2")),
        Arguments.of("excluded target namespace", "",
            "[" + hook(",'excludedNamespaces':['dst']", c("h1")) + "]", "{'src':'dst'}", List.of("i1", "i2")),
        Arguments.of("namespace glob", "",
            "[" + hook(",'includedNamespaces':['s*']", c("h1")) + "]", "{}", List.of("h1", "i1", "i2")),
        Arguments.of("label selector matches the pod's labels", "",
            "[" + hook(",'labelSelector':{'matchLabels':{'app':'db'}}", c("h1")) + "]", "{}", List.of("h1", "i1", "i2")),
        Arguments.of("label selector does not match", "",
            "[" + hook(",'labelSelector':{'matchLabels':{'app':'web'}}", c("h1")) + "]", "{}", List.of("i1", "i2")),
        Arguments.of("includedResources of the hook are ignored (forced to pods)", "",
            "[" + hook(",'includedResources':['deployments'],'excludedResources':['pods']", c("h1")) + "]", "{}",
            List.of("h1", "i1", "i2")),
        Arguments.of("several hooks and post hooks in order, exec hooks ignored", "",
            "[{'name':'a','postHooks':[{'init':{'initContainers':[" + c("a1") + "]}},{'exec':{'command':['x']}},"
                + "{'init':{'initContainers':[" + c("a2") + "]}}]},"
                + hook(",'includedNamespaces':['other']", c("skipped")) + ","
                + "{'name':'b','postHooks':[{'init':{'initContainers':[" + c("b1") + "]}}]}]",
            "{}", List.of("a1", "a2", "b1", "i1", "i2")),
        Arguments.of("restore-wait at index 0 stays first", "restore-wait,i1,i2",
            "[" + hook("", c("h1")) + "]", "{}", List.of("restore-wait", "h1", "i1", "i2")),
        Arguments.of("restore-wait elsewhere is an ordinary init container", "i1,restore-wait",
            "[" + hook("", c("h1")) + "]", "{}", List.of("h1", "i1", "restore-wait")),
        Arguments.of("pod without init containers gets the hook's", "none",
            "[" + hook("", c("h1")) + "]", "{}", List.of("h1")),
        Arguments.of("pod without init containers and no hooks has none", "none", "[]", "{}", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specHooks")
  void specHooksAddInitContainersPerReference313(String rule, String initContainers, String hooks, String mapping,
      List<String> expected) throws Exception {
    ObjectNode pod = pod(Map.of(), initContainers);

    ActionOutput out = ACTION.execute(input(pod, spec(hooks, mapping)));

    assertEquals(expected, initContainerNames(out.item()), rule);
    assertFalse(out.skipRestore(), rule);
    assertEquals(List.of(), out.additionalItems(), rule);
  }

  static Stream<Arguments> annotationHooks() {
    String image = "init.hook.restore.velero.io/container-image";
    String name = "init.hook.restore.velero.io/container-name";
    String command = "init.hook.restore.velero.io/command";
    return Stream.of(
        Arguments.of("all annotations, command as a JSON array",
            Map.of(image, "nginx", name, "restore-init", command, "[\"a\", \"b\", \"c\"]"),
            "{'name':'restore-init','image':'nginx','command':['a','b','c']}"),
        Arguments.of("no name: velero-restore-init-<8 hex>", Map.of(image, "nginx", command, "/bin/populate"),
            "{'name':'velero-restore-init-deadbeef','image':'nginx','command':['/bin/populate']}"),
        Arguments.of("empty name: generated too", Map.of(image, "nginx", name, "", command, "x"),
            "{'name':'velero-restore-init-deadbeef','image':'nginx','command':['x']}"),
        Arguments.of("plain command is one element, spaces kept",
            Map.of(image, "busy-box", name, "n", command, "/usr/bin/data-populator /user-data full"),
            "{'name':'n','image':'busy-box','command':['/usr/bin/data-populator /user-data full']}"),
        Arguments.of("malformed JSON array is one element", Map.of(image, "i", name, "n", command, "[foobarbaz"),
            "{'name':'n','image':'i','command':['[foobarbaz']}"),
        Arguments.of("JSON array of non-strings is one element", Map.of(image, "i", name, "n", command, "[1,2]"),
            "{'name':'n','image':'i','command':['[1,2]']}"),
        Arguments.of("trailing data after the array is one element", Map.of(image, "i", name, "n", command, "[\"a\"] x"),
            "{'name':'n','image':'i','command':['[\\\"a\\\"] x']}"),
        Arguments.of("null elements read as empty strings", Map.of(image, "i", name, "n", command, "[\"a\",null]"),
            "{'name':'n','image':'i','command':['a','']}"),
        Arguments.of("leading space: not a JSON array", Map.of(image, "i", name, "n", command, " [\"a\"]"),
            "{'name':'n','image':'i','command':[' [\\\"a\\\"]']}"),
        Arguments.of("empty array: no command", Map.of(image, "i", name, "n", command, "[]"),
            "{'name':'n','image':'i'}"),
        Arguments.of("no command: image entrypoint (upstream fix of Velero's panic)", Map.of(image, "i", name, "n"),
            "{'name':'n','image':'i'}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("annotationHooks")
  void annotationHookWinsOverSpecHooksPerReference313(String rule, Map<String, String> annotations, String expected)
      throws Exception {
    ObjectNode pod = pod(annotations, "restore-wait,i1");
    String hooks = "[" + hook("", c("from-spec")) + "]";

    ActionOutput out = ACTION.execute(input(pod, spec(hooks, "{}")));

    JsonNode initContainers = out.item().get("spec").get("initContainers");
    assertEquals(3, initContainers.size(), rule + ": restore-wait, annotation hook, i1; spec hooks ignored");
    assertEquals("restore-wait", initContainers.get(0).get("name").asText(), rule);
    assertEquals(json(expected), initContainers.get(1), rule);
    assertEquals("i1", initContainers.get(2).get("name").asText(), rule);
  }

  @Test
  void emptyImageAnnotationMeansNoAnnotationHookPerReference313() throws Exception {
    ObjectNode pod = pod(Map.of("init.hook.restore.velero.io/container-image", "",
        "init.hook.restore.velero.io/container-name", "n"), "i1");

    ActionOutput out = ACTION.execute(input(pod, spec("[" + hook("", c("h1")) + "]", "{}")));

    assertEquals(List.of("h1", "i1"), initContainerNames(out.item()));
  }

  @Test
  void defaultNameSuffixIsEightHexDigitsPerReference313() throws Exception {
    ObjectNode pod = pod(Map.of("init.hook.restore.velero.io/container-image", "i"), "none");

    ActionOutput out = new InitRestoreHookAction().execute(input(pod, spec("[]", "{}")));

    String name = out.item().get("spec").get("initContainers").get(0).get("name").asText();
    assertTrue(name.matches("velero-restore-init-[0-9a-f]{8}"), name);
  }

  @Test
  void hookContainerIsCopiedAsWrittenWithItsOtherFieldsPerReference313() throws Exception {
    String container = "{'name':'h','image':'i','command':['c'],'volumeMounts':[{'name':'data','mountPath':'/d'}],"
        + "'futureField':1}";
    RestoreSpec spec = spec("[" + hook("", container) + "]", "{}");
    ObjectNode pod = pod(Map.of(), "none");

    ActionOutput out = ACTION.execute(input(pod, spec));

    ObjectNode added = (ObjectNode) out.item().get("spec").get("initContainers").get(0);
    assertEquals(json(container), added);
    added.put("name", "changed");
    assertEquals(json(container), spec.hooks().resources().get(0).postHooks().get(0).init().initContainers().get(0),
        "the restore's spec is not shared with the pod");
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("hook container without command",
            "[" + hook("", "{'name':'h','image':'i'}") + "]", Map.of(),
            "invalid InitContainer in restore hook, it doesn't have Command, Name or Image field"),
        Arguments.of("hook container with empty command",
            "[" + hook("", "{'name':'h','image':'i','command':[]}") + "]", Map.of(),
            "invalid InitContainer in restore hook, it doesn't have Command, Name or Image field"),
        Arguments.of("hook container without image",
            "[" + hook("", "{'name':'h','command':['c']}") + "]", Map.of(),
            "invalid InitContainer in restore hook, it doesn't have Command, Name or Image field"),
        Arguments.of("hook container null",
            "[" + hook("", "null") + "]", Map.of(),
            "invalid InitContainer in restore hook, it doesn't have Command, Name or Image field"),
        Arguments.of("hook container name of the wrong type",
            "[" + hook("", "{'name':7,'image':'i','command':['c']}") + "]", Map.of(),
            "json: cannot unmarshal number into Go struct field Container.name of type string"),
        Arguments.of("hook container command a string",
            "[" + hook("", "{'command':'c','name':'h','image':'i'}") + "]", Map.of(),
            "json: cannot unmarshal string into Go struct field Container.command of type []string"),
        Arguments.of("hook container not an object",
            "[" + hook("", "'busybox'") + "]", Map.of(),
            "json: cannot unmarshal string into Go value of type v1.Container"),
        Arguments.of("invalid selector of a non-matching hook fails every pod, annotation hooks too",
            "[" + hook(",'includedNamespaces':['other'],'labelSelector':{'matchExpressions':[{'key':'a','operator':'In'}]}",
                c("h")) + "]",
            Map.of("init.hook.restore.velero.io/container-image", "i"),
            "for 'in', 'notin' operators, values set can't be empty"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void invalidHooksFailThePodWithVelerosWordsPerReference313(String rule, String hooks, Map<String, String> annotations,
      String error) throws Exception {
    ObjectNode pod = pod(annotations, "i1");
    ObjectNode before = pod.deepCopy();

    ActionException e = assertThrows(ActionException.class, () -> ACTION.execute(input(pod, spec(hooks, "{}"))), rule);

    assertEquals(error, e.getMessage(), rule);
    assertEquals(before, pod, rule + ": pod untouched");
  }

  @Test
  void invalidContainerOfANonMatchingHookIsNotCheckedHerePerReference313() throws Exception {
    String hooks = "[" + hook(",'includedNamespaces':['other']", "{'name':'broken'}") + "]";

    ActionOutput out = ACTION.execute(input(pod(Map.of(), "i1"), spec(hooks, "{}")));

    assertEquals(List.of("i1"), initContainerNames(out.item()));
  }

  @Test
  void appliesToPodsOnlyUnderVelerosNamePerReference4() {
    assertEquals("velero.io/init-restore-hook", ACTION.name());
    assertTrue(ACTION.appliesTo("pods"));
    assertFalse(ACTION.appliesTo("deployments.apps"));
  }


  /**
   * A pod in namespace {@code src} labelled {@code app=db}.
   *
   * @param initContainers comma-separated names, "" for i1,i2, "none" for no list
   */
  private static ObjectNode pod(Map<String, String> annotations, String initContainers) throws Exception {
    ObjectNode pod = (ObjectNode) json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','namespace':'src',"
        + "'labels':{'app':'db'}},'spec':{'containers':[{'name':'main','image':'app'}]}}");
    if (!annotations.isEmpty()) {
      ObjectNode a = ((ObjectNode) pod.get("metadata")).putObject("annotations");
      annotations.forEach(a::put);
    }
    String names = initContainers.isEmpty() ? "i1,i2" : initContainers;
    if (!names.equals("none")) {
      var list = ((ObjectNode) pod.get("spec")).putArray("initContainers");
      for (String name : names.split(",")) {
        list.addObject().put("name", name).put("image", "init");
      }
    }
    return pod;
  }

  private static RestoreSpec spec(String hookResources, String mapping) throws Exception {
    return Json.mapper().readValue(("{'backupName':'b','namespaceMapping':" + mapping + ",'hooks':{'resources':"
        + hookResources + "}}").replace('\'', '"'), RestoreSpec.class);
  }

  private static List<String> initContainerNames(ObjectNode pod) {
    List<String> names = new ArrayList<>();
    JsonNode list = pod.path("spec").path("initContainers");
    list.forEach(c -> names.add(c.get("name").asText()));
    return names;
  }

  private static ActionInput input(ObjectNode pod, RestoreSpec spec) {
    return new ActionInput(pod, pod.deepCopy(), new ActionInput.RestoreInfo("r", "uid", spec), ActionFixtures.NO_LOOKUPS);
  }

}
