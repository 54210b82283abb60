package dev.rebound.itemrestorer.actions;

import static dev.rebound.itemrestorer.actions.RoleBindingActionTest.binding;
import static dev.rebound.itemrestorer.actions.ActionFixtures.json;
import static dev.rebound.itemrestorer.actions.RoleBindingActionTest.mapping;
import static dev.rebound.itemrestorer.actions.RoleBindingActionTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reference 4, {@code velero.io/cluster-role-bindings} (Velero's
 * {@code clusterrolebinding_action.go}): the same rule as {@code velero.io/role-bindings}, for
 * cluster-scoped bindings, so the same tables ({@link RoleBindingActionTest}'s) run here.
 */
class ClusterRoleBindingActionTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.rebound.itemrestorer.actions.RoleBindingActionTest#remapping")
  void subjectNamespacesFollowTheNamespaceMapping(String rule, String pairs, String subjects, String expected)
      throws Exception {
    ObjectNode item = binding("ClusterRoleBinding", subjects);
    ((ObjectNode) item.get("metadata")).remove("namespace");
    ActionOutput out = run(new ClusterRoleBindingAction(), item, mapping(pairs));
    assertSame(item, out.item(), rule);
    assertFalse(out.skipRestore(), rule);
    assertEquals(expected == null ? null : json(expected), out.item().get("subjects"), rule);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.rebound.itemrestorer.actions.RoleBindingActionTest#malformed")
  void malformedSubjectsFailWithTheConvertersMessage(String rule, String subjects, String message) throws Exception {
    ObjectNode item = binding("ClusterRoleBinding", subjects);
    ActionException e = assertThrows(ActionException.class,
        () -> run(new ClusterRoleBindingAction(), item, mapping("src=dst")), rule);
    assertEquals(message, e.getMessage(), rule);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "clusterrolebindings.rbac.authorization.k8s.io, true",
      "rolebindings.rbac.authorization.k8s.io, false",
      "clusterrolebindings, false"
  })
  void appliesToClusterRoleBindingsOnly(String groupResource, boolean applies) {
    assertEquals(applies, new ClusterRoleBindingAction().appliesTo(groupResource));
    assertEquals("velero.io/cluster-role-bindings", new ClusterRoleBindingAction().name());
  }
}
