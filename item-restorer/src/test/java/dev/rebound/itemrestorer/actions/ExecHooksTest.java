package dev.rebound.itemrestorer.actions;

import dev.rebound.model.velero.GoDurations;
import static dev.rebound.itemrestorer.actions.ActionFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import dev.rebound.model.pipeline.ExecHook;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestoreSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference 3.13: which exec hooks a restored pod gets, from its annotations or the restore's spec. */
class ExecHooksTest {

  private static ObjectNode pod(String annotations, String labels) throws Exception {
    return (ObjectNode) json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'db-0','namespace':'shop-dr',"
        + "'annotations':" + annotations + ",'labels':" + labels + "},'spec':{'containers':[{'name':'db'},"
        + "{'name':'sidecar'}]}}");
  }

  private static RestoreSpec spec(String yaml) throws Exception {
    return Json.yaml().readValue("spec:\n" + ("backupName: b\n" + yaml).indent(2), Restore.class).spec();
  }

  private static final String SPEC_HOOKS = """
      hooks:
        resources:
        - name: dump
          includedNamespaces: [shop-dr]
          labelSelector: {matchLabels: {app: db}}
          postHooks:
          - init: {initContainers: []}
          - exec: {command: [/bin/restore.sh], waitTimeout: 2m, execTimeout: 45s, onError: Fail, waitForReady: true}
          - exec: {container: sidecar, command: [touch, /done]}
        - name: elsewhere
          includedNamespaces: [shop]
          postHooks:
          - exec: {command: [never]}
      """;

  @Test
  void specHooksOfMatchingEntriesInSpecOrderWithTheFirstContainerAsDefault() throws Exception {
    List<ExecHook> hooks = ExecHooks.of(pod("{}", "{'app':'db'}"), spec(SPEC_HOOKS), new ArrayList<>());
    assertEquals(List.of(
        new ExecHook("dump", "spec", 1, "db", List.of("/bin/restore.sh"), "Fail", 45_000, 120_000, true),
        new ExecHook("dump", "spec", 2, "sidecar", List.of("touch", "/done"), "", 0, 0, false)), hooks);
  }

  @Test
  void theTargetNamespaceAndLabelsSelectSpecHooks() throws Exception {
    assertEquals(List.of(), ExecHooks.of(pod("{}", "{'app':'web'}"), spec(SPEC_HOOKS), new ArrayList<>()));
  }

  @Test
  void anAnnotationHookWinsOverSpecHooks() throws Exception {
    List<String> log = new ArrayList<>();
    List<ExecHook> hooks = ExecHooks.of(pod("{'post.hook.restore.velero.io/command':'[\\\"/bin/sh\\\",\\\"-c\\\",\\\"echo hi\\\"]',"
        + "'post.hook.restore.velero.io/container':'sidecar','post.hook.restore.velero.io/on-error':'Fail',"
        + "'post.hook.restore.velero.io/wait-timeout':'1m30s','post.hook.restore.velero.io/exec-timeout':'soon',"
        + "'post.hook.restore.velero.io/wait-for-ready':'true'}", "{'app':'db'}"), spec(SPEC_HOOKS), log);
    assertEquals(List.of(new ExecHook(ExecHook.FROM_ANNOTATION, "annotation", 0, "sidecar",
        List.of("/bin/sh", "-c", "echo hi"), "Fail", 0, 90_000, true)), hooks);
    assertEquals(List.of("warning: Unable to parse exec timeout soon, ignoring: time: invalid duration \"soon\""), log);
  }

  @ParameterizedTest(name = "on-error {0} -> ''{1}''")
  @CsvSource({"Continue, Continue", "Fail, Fail", "fail, ''", "Abort, ''"})
  void onlyContinueAndFailAreErrorModes(String annotation, String mode) throws Exception {
    List<ExecHook> hooks = ExecHooks.of(pod("{'post.hook.restore.velero.io/command':'pg_restore',"
        + "'post.hook.restore.velero.io/on-error':'" + annotation + "'}", "{}"), null, new ArrayList<>());
    assertEquals(mode, hooks.get(0).onError());
    assertEquals(List.of("pg_restore"), hooks.get(0).command());
    assertEquals("db", hooks.get(0).container());
  }

  @Test
  void aPodWithoutContainersHasNoHooks() throws Exception {
    ObjectNode pod = pod("{'post.hook.restore.velero.io/command':'x'}", "{}");
    ((ObjectNode) pod.get("spec")).putArray("containers");
    assertEquals(List.of(), ExecHooks.of(pod, null, new ArrayList<>()));
  }

  @ParameterizedTest(name = "{0} = {1} ms")
  @CsvSource({"30s, 30000", "1m30s, 90000", "500ms, 500", "2h, 7200000", "1.5s, 1500", "0, 0", "1h2m3s4ms, 3723004",
      "250us, 0"})
  void goDurationsParseAsGoParsesThem(String text, long millis) {
    assertEquals(millis, GoDurations.parseMillis(text));
  }

  @Test
  void malformedGoDurationsAreGosError() {
    for (String bad : List.of("", "30", "s", "1x", "1h 2m", "abc")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoDurations.parseMillis(bad));
      assertEquals("time: invalid duration \"" + bad + "\"", e.getMessage());
    }
  }
}
