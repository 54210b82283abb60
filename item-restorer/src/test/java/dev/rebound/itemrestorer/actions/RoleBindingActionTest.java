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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reference 4, {@code velero.io/role-bindings} (Velero's {@code rolebinding_action.go}): subjects'
 * namespaces follow the restore's namespace mapping. {@link ClusterRoleBindingActionTest} runs the
 * same tables, as both actions share {@link BindingSubjects}. JSON here is written with single quotes.
 */
class RoleBindingActionTest {


  /** "a=b c=d" as a mapping; "-" for none. */
  static Map<String, String> mapping(String pairs) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!pairs.equals("-")) {
      for (String pair : pairs.trim().split("\\s+")) {
        String[] kv = pair.split("=", -1);
        out.put(kv[0], kv[1]);
      }
    }
    return out;
  }

  static ActionOutput run(RestoreItemAction action, ObjectNode item, Map<String, String> namespaceMapping)
      throws ActionException {
    RestoreSpec spec = new RestoreSpec("b", null, null, null, null, null, namespaceMapping.isEmpty() ? null
        : namespaceMapping, null, null, null, null, null, null, null, null, null, null, null);
    return action.execute(new ActionInput(item, item.deepCopy(), new ActionInput.RestoreInfo("r", "uid", spec), null));
  }

  static ObjectNode binding(String kind, String subjects) throws Exception {
    ObjectNode item = (ObjectNode) json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'" + kind + "',"
        + "'metadata':{'name':'rb','namespace':'src'},"
        + "'roleRef':{'apiGroup':'rbac.authorization.k8s.io','kind':'ClusterRole','name':'view'}}");
    if (subjects != null) {
      item.set("subjects", json(subjects));
    }
    return item;
  }

  static Stream<Arguments> remapping() {
    return Stream.of(
        Arguments.of("a mapped namespace is replaced", "src=dst",
            "[{'kind':'ServiceAccount','name':'app','namespace':'src'}]",
            "[{'kind':'ServiceAccount','name':'app','namespace':'dst'}]"),
        Arguments.of("each subject on its own", "a=b c=d",
            "[{'kind':'ServiceAccount','name':'x','namespace':'a'},{'kind':'ServiceAccount','name':'y','namespace':'c'},"
                + "{'kind':'ServiceAccount','name':'z','namespace':'e'}]",
            "[{'kind':'ServiceAccount','name':'x','namespace':'b'},{'kind':'ServiceAccount','name':'y','namespace':'d'},"
                + "{'kind':'ServiceAccount','name':'z','namespace':'e'}]"),
        Arguments.of("an unmapped namespace is kept", "other=dst",
            "[{'kind':'ServiceAccount','name':'app','namespace':'src'}]",
            "[{'kind':'ServiceAccount','name':'app','namespace':'src'}]"),
        Arguments.of("mappings are not chained", "a=b b=c",
            "[{'kind':'ServiceAccount','name':'app','namespace':'a'}]",
            "[{'kind':'ServiceAccount','name':'app','namespace':'b'}]"),
        Arguments.of("users and groups without namespace are kept", "src=dst",
            "[{'kind':'User','apiGroup':'rbac.authorization.k8s.io','name':'jane'},{'kind':'Group','name':'devs','namespace':null}]",
            "[{'kind':'User','apiGroup':'rbac.authorization.k8s.io','name':'jane'},{'kind':'Group','name':'devs','namespace':null}]"),
        // The typed Go subject omits an empty namespace.
        Arguments.of("a namespace mapped to empty is removed", "src=",
            "[{'kind':'ServiceAccount','name':'app','namespace':'src'}]",
            "[{'kind':'ServiceAccount','name':'app'}]"),
        Arguments.of("no subjects", "src=dst", null, null),
        Arguments.of("null subjects", "src=dst", "null", "null"),
        Arguments.of("no mapping: untouched", "-",
            "[{'kind':'ServiceAccount','name':'app','namespace':'src'}]",
            "[{'kind':'ServiceAccount','name':'app','namespace':'src'}]"),
        // Without a mapping Velero does not decode the binding, so nothing can fail.
        Arguments.of("no mapping: malformed subjects are no error", "-", "'x'", "'x'"));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("subjects an object", "{'kind':'User'}", "cannot restore slice from map"),
        Arguments.of("subjects a string", "'x'", "cannot restore slice from string"),
        Arguments.of("a subject a string", "['x']", "cannot restore struct from: string"),
        Arguments.of("a subject a list", "[[1]]", "cannot restore struct from: slice"),
        Arguments.of("a whole-number namespace", "[{'kind':'ServiceAccount','name':'a','namespace':5}]",
            "cannot convert int64 to string"),
        Arguments.of("a boolean namespace", "[{'kind':'ServiceAccount','name':'a','namespace':true}]",
            "unrecognized type: string"),
        Arguments.of("a fractional namespace", "[{'kind':'ServiceAccount','name':'a','namespace':1.5}]",
            "unrecognized type: string"),
        Arguments.of("a bad subject after a good one",
            "[{'kind':'ServiceAccount','name':'a','namespace':'src'},{'kind':'ServiceAccount','name':'b','namespace':{}}]",
            "unrecognized type: string"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("remapping")
  void subjectNamespacesFollowTheNamespaceMapping(String rule, String pairs, String subjects, String expected)
      throws Exception {
    ObjectNode item = binding("RoleBinding", subjects);
    ActionOutput out = run(new RoleBindingAction(), item, mapping(pairs));
    assertSame(item, out.item(), rule);
    assertFalse(out.skipRestore(), rule);
    assertEquals(expected == null ? null : json(expected), out.item().get("subjects"), rule);
    assertEquals("src", out.item().at("/metadata/namespace").asText(), "the binding's own namespace is not the action's");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedSubjectsFailWithTheConvertersMessage(String rule, String subjects, String message) throws Exception {
    ObjectNode item = binding("RoleBinding", subjects);
    ActionException e = assertThrows(ActionException.class,
        () -> run(new RoleBindingAction(), item, mapping("src=dst")), rule);
    assertEquals(message, e.getMessage(), rule);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "rolebindings.rbac.authorization.k8s.io, true",
      "clusterrolebindings.rbac.authorization.k8s.io, false",
      "rolebindings, false"
  })
  void appliesToRoleBindingsOnly(String groupResource, boolean applies) {
    assertEquals(applies, new RoleBindingAction().appliesTo(groupResource));
    assertEquals("velero.io/role-bindings", new RoleBindingAction().name());
  }
}
