package dev.rebound.model.pipeline;

import java.util.Objects;

/**
 * Velero's key of a restored item (reference 3.6 step 4): the {@code <apiVersion>/<Kind>} of the
 * object as read from the backup, the <b>target</b> namespace ("" for cluster-scoped items) and
 * the name. Results are deduplicated by (restore, cluster, key): a redelivered item counts once.
 */
public record ItemKey(String resource, String namespace, String name) {

  public ItemKey {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(name, "name");
    namespace = namespace == null ? "" : namespace;
  }

  /** The entry in Velero's restore resource list: {@code <ns>/<name>(<action>)} or {@code <name>(<action>)}. */
  public String resourceListEntry(ItemAction action) {
    return (namespace.isEmpty() ? name : namespace + "/" + name) + "(" + action.value() + ")";
  }

  @Override
  public String toString() {
    return resource + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
  }
}
