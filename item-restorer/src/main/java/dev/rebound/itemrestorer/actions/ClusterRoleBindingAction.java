package dev.rebound.itemrestorer.actions;

/**
 * Velero's {@code velero.io/cluster-role-bindings} restore item action (reference 4; Velero's
 * {@code pkg/restore/actions/clusterrolebinding_action.go}): a ClusterRoleBinding's
 * {@code subjects[].namespace} is remapped through the restore's {@code namespaceMapping}, so that
 * the (cluster-scoped) binding grants to the service accounts restored in their new namespaces. The
 * rule, its edge cases and error texts are {@link BindingSubjects}'.
 */
public final class ClusterRoleBindingAction implements RestoreItemAction {

  @Override
  public String name() {
    return "velero.io/cluster-role-bindings";
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return groupResource.equals("clusterrolebindings.rbac.authorization.k8s.io");
  }

  @Override
  public ActionOutput execute(ActionInput input) throws ActionException {
    BindingSubjects.remapNamespaces(input.item(), input.restore().namespaceMapping());
    return ActionOutput.of(input.item());
  }
}
