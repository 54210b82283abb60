package dev.rebound.itemrestorer.actions;

/**
 * Velero's {@code velero.io/role-bindings} restore item action (reference 4; Velero's
 * {@code pkg/restore/actions/rolebinding_action.go}): a RoleBinding's {@code subjects[].namespace}
 * is remapped through the restore's {@code namespaceMapping}, so that a binding restored into a new
 * namespace grants to the service accounts restored alongside it. The rule, its edge cases and
 * error texts are {@link BindingSubjects}'.
 */
public final class RoleBindingAction implements RestoreItemAction {

  @Override
  public String name() {
    return "velero.io/role-bindings";
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return groupResource.equals("rolebindings.rbac.authorization.k8s.io");
  }

  @Override
  public ActionOutput execute(ActionInput input) throws ActionException {
    BindingSubjects.remapNamespaces(input.item(), input.restore().namespaceMapping());
    return ActionOutput.of(input.item());
  }
}
