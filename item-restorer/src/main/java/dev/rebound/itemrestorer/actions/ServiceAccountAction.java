package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Velero's {@code velero.io/service-account} restore item action (reference 4): a ServiceAccount
 * loses the reference to its legacy auto-generated token secret ({@code <sa name>-token-...}),
 * which the secret action (reference 4, {@code velero.io/secret}) does not restore either.
 *
 * <p>Velero quirk followed ({@code pkg/restore/actions/service_account_action.go}): the
 * {@code secrets[]} list is scanned from the end and only the <em>last</em> entry whose name starts
 * with {@code <sa name>-token-} is removed; earlier matching entries stay. If the list is left
 * empty it is removed, as Go omits it. Other fields, {@code imagePullSecrets} included, are
 * untouched. Fields read here of the wrong JSON type fail with "unable to convert serviceaccount
 * from runtime.Unstructured: ..." (the converter's message follows).
 */
public final class ServiceAccountAction implements RestoreItemAction {

  public static final String NAME = "velero.io/service-account";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return "serviceaccounts".equals(groupResource);
  }

  @Override
  public ActionOutput execute(ActionInput input) throws ActionException {
    ObjectNode serviceAccount = input.item();
    try {
      String prefix = ItemShapes.string(ItemShapes.struct(serviceAccount, "metadata"), "name") + "-token-";
      ArrayNode secrets = ItemShapes.slice(serviceAccount, "secrets");
      if (secrets == null) {
        return ActionOutput.of(serviceAccount);
      }
      String[] names = new String[secrets.size()];
      for (int i = 0; i < names.length; i++) {
        names[i] = ItemShapes.string(ItemShapes.asStruct(secrets.get(i)), "name");
      }
      for (int i = names.length - 1; i >= 0; i--) {
        if (names[i].startsWith(prefix)) {
          secrets.remove(i);
          break;
        }
      }
      if (secrets.isEmpty()) {
        serviceAccount.remove("secrets");
      }
    } catch (ItemShapes.Mismatch e) {
      throw new ActionException(
          "unable to convert serviceaccount from runtime.Unstructured: " + e.getMessage(), e);
    }
    return ActionOutput.of(serviceAccount);
  }
}
