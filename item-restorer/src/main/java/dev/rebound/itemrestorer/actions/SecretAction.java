package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Velero's {@code velero.io/secret} restore item action (reference 4, 3.10): legacy service-account
 * token secrets are either left to the target cluster's token controller or restored without the
 * source cluster's token.
 *
 * <p>Only secrets of {@code type: kubernetes.io/service-account-token} are touched; any other
 * secret goes on unchanged. For a token secret the action lists the ServiceAccounts of the target
 * cluster ({@link TargetLookups#serviceAccountNames}); when the secret's name starts with
 * {@code <sa>-token-} for any of them, the secret was auto-generated and is skipped
 * (SkipRestore). Otherwise annotation {@code kubernetes.io/service-account.uid} and data keys
 * {@code token} and {@code ca.crt} are removed so the token controller fills them in again; a map
 * left empty is removed, as Go omits it.
 *
 * <p>Velero quirk followed ({@code pkg/restore/actions/secret_action.go}): the ServiceAccounts are
 * listed in the secret's namespace as it is on the item, which is still the <em>source</em>
 * namespace (the namespace is mapped after the actions, reference 3.6 step 11). With a
 * {@code namespaceMapping} the lookup therefore reads the target cluster's namespace of the source
 * name, not the namespace the secret is restored into. The ServiceAccounts are those already in
 * the target cluster, so whether a token secret is skipped depends on whether its ServiceAccount
 * was restored (or existed) earlier. A failed lookup fails the item with "unable to list the
 * service accounts: ...".
 */
public final class SecretAction implements RestoreItemAction {

  public static final String NAME = "velero.io/secret";

  static final String SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token";
  static final String SERVICE_ACCOUNT_UID_ANNOTATION = "kubernetes.io/service-account.uid";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return "secrets".equals(groupResource);
  }

  @Override
  public ActionOutput execute(ActionInput input) throws ActionException {
    ObjectNode secret = input.item();
    String type;
    String namespace;
    String name;
    ObjectNode metadata;
    try {
      metadata = ItemShapes.struct(secret, "metadata");
      type = ItemShapes.string(secret, "type", "v1.SecretType");
      namespace = ItemShapes.string(metadata, "namespace");
      name = ItemShapes.string(metadata, "name");
      ItemShapes.stringMap(metadata, "annotations"); // Go's map[string]string: values must be strings
      ItemShapes.byteMap(secret, "data");
    } catch (ItemShapes.Mismatch e) {
      throw new ActionException("unable to convert secret from runtime.Unstructured: " + e.getMessage(), e);
    }
    if (!SERVICE_ACCOUNT_TOKEN.equals(type)) {
      return ActionOutput.of(secret);
    }

    List<String> serviceAccounts;
    try {
      serviceAccounts = input.cluster().serviceAccountNames(namespace);
    } catch (ActionException e) {
      throw new ActionException("unable to list the service accounts: " + e.getMessage(), e);
    }
    for (String serviceAccount : serviceAccounts) {
      if (name.startsWith(serviceAccount + "-token-")) {
        return ActionOutput.skip(secret);
      }
    }

    removeKeys(metadata, "annotations", List.of(SERVICE_ACCOUNT_UID_ANNOTATION));
    removeKeys(secret, "data", List.of("token", "ca.crt"));
    return ActionOutput.of(secret);
  }

  private static void removeKeys(ObjectNode parent, String field, List<String> keys) {
    ObjectNode map = ItemShapes.map(parent, field);
    if (map == null) {
      return;
    }
    map.remove(keys);
    if (map.isEmpty()) {
      parent.remove(field);
    }
  }
}
