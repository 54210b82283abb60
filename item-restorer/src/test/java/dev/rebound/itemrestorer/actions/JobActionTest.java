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
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reference 4, {@code velero.io/job} (Velero's {@code job_action.go}): the old Job's controller-uid
 * labels leave its selector and pod template. JSON here is written with single quotes.
 */
class JobActionTest {


  private static ActionOutput run(ObjectNode item) throws ActionException {
    return new JobAction().execute(new ActionInput(item, item.deepCopy(),
        new ActionInput.RestoreInfo("r", "uid", RestoreSpec.fromBackup("b")), null));
  }

  private static ObjectNode job(String spec) throws Exception {
    ObjectNode item = (ObjectNode) json("{'apiVersion':'batch/v1','kind':'Job','metadata':{'name':'j','namespace':'ns',"
        + "'labels':{'controller-uid':'u1','batch.kubernetes.io/controller-uid':'u1','app':'x'}}}");
    if (spec != null) {
      item.set("spec", json(spec));
    }
    return item;
  }

  static Stream<Arguments> specs() {
    return Stream.of(
        Arguments.of("both labels leave the selector and the template, others stay",
            "{'selector':{'matchLabels':{'controller-uid':'u1','batch.kubernetes.io/controller-uid':'u1','app':'x'}},"
                + "'template':{'metadata':{'labels':{'controller-uid':'u1','batch.kubernetes.io/controller-uid':'u1',"
                + "'batch.kubernetes.io/job-name':'j','job-name':'j','app':'x'}},'spec':{'restartPolicy':'Never'}}}",
            "{'selector':{'matchLabels':{'app':'x'}},"
                + "'template':{'metadata':{'labels':{'batch.kubernetes.io/job-name':'j','job-name':'j','app':'x'}},"
                + "'spec':{'restartPolicy':'Never'}}}"),
        Arguments.of("the legacy label alone (Kubernetes before 1.27)",
            "{'selector':{'matchLabels':{'controller-uid':'u1','app':'x'}},'template':{'metadata':{'labels':{'controller-uid':'u1','app':'x'}}}}",
            "{'selector':{'matchLabels':{'app':'x'}},'template':{'metadata':{'labels':{'app':'x'}}}}"),
        Arguments.of("the new label alone",
            "{'selector':{'matchLabels':{'batch.kubernetes.io/controller-uid':'u1','app':'x'}}}",
            "{'selector':{'matchLabels':{'app':'x'}}}"),
        // Velero's typed round trip omits empty maps; the selector itself stays, empty.
        Arguments.of("maps left empty are removed",
            "{'selector':{'matchLabels':{'controller-uid':'u1','batch.kubernetes.io/controller-uid':'u1'}},"
                + "'template':{'metadata':{'name':'t','labels':{'controller-uid':'u1'}}}}",
            "{'selector':{},'template':{'metadata':{'name':'t'}}}"),
        Arguments.of("matchExpressions are not looked at",
            "{'selector':{'matchExpressions':[{'key':'controller-uid','operator':'In','values':['u1']}]}}",
            "{'selector':{'matchExpressions':[{'key':'controller-uid','operator':'In','values':['u1']}]}}"),
        Arguments.of("no selector, no template", "{'parallelism':1}", "{'parallelism':1}"),
        Arguments.of("a selector without matchLabels", "{'selector':{}}", "{'selector':{}}"),
        Arguments.of("a template without labels", "{'template':{'metadata':{}}}", "{'template':{'metadata':{}}}"),
        Arguments.of("null parts read as missing", "{'selector':null,'template':{'metadata':null}}",
            "{'selector':null,'template':{'metadata':null}}"),
        Arguments.of("no spec at all", null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void controllerUidLabelsAreRemovedFromSelectorAndTemplate(String rule, String spec, String expected)
      throws Exception {
    ObjectNode item = job(spec);
    ActionOutput out = run(item);
    assertSame(item, out.item(), rule);
    assertFalse(out.skipRestore(), rule);
    assertEquals(expected == null ? null : json(expected), out.item().get("spec"), rule);
    assertEquals(json("{'controller-uid':'u1','batch.kubernetes.io/controller-uid':'u1','app':'x'}"),
        out.item().at("/metadata/labels"), "the Job's own labels are not the action's: " + rule);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "spec a number              | 5                                                   | cannot restore struct from: int64",
      "selector a string          | {'selector':'app=x'}                                 | cannot restore struct from: string",
      "matchLabels a list         | {'selector':{'matchLabels':['a']}}                   | cannot restore map from slice",
      "a whole-number label value | {'selector':{'matchLabels':{'a':1}}}                 | cannot convert int64 to string",
      "template a list            | {'template':[]}                                      | cannot restore struct from: slice",
      "template metadata a string | {'template':{'metadata':'m'}}                        | cannot restore struct from: string",
      "template labels a string   | {'template':{'metadata':{'labels':'a=b'}}}           | cannot restore map from string",
      "a boolean label value      | {'template':{'metadata':{'labels':{'a':true}}}}      | unrecognized type: string",
      // JobSpec.Selector is decoded before JobSpec.Template.
      "the selector fails first   | {'template':[],'selector':'x'}                      | cannot restore struct from: string"
  })
  void malformedJobsFailWithTheConvertersMessage(String rule, String spec, String message) throws Exception {
    ObjectNode item = job(spec);
    ActionException e = assertThrows(ActionException.class, () -> run(item), rule);
    assertEquals(message, e.getMessage(), rule);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"jobs.batch, true", "cronjobs.batch, false", "jobs, false"})
  void appliesToJobsOnly(String groupResource, boolean applies) {
    assertEquals(applies, new JobAction().appliesTo(groupResource));
    assertEquals("velero.io/job", new JobAction().name());
  }
}
