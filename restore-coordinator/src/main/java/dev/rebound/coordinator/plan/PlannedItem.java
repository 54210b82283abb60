package dev.rebound.coordinator.plan;

/**
 * One item a restore will process: where it is in the backup and where it goes.
 *
 * @param groupResource the backup's resource directory, e.g. {@code deployments.apps}
 * @param sourceNamespace null for cluster-scoped items
 * @param targetNamespace after {@code namespaceMapping}; null for cluster-scoped items
 * @param apiVersion and {@code kind} as read from the backed-up object (the resource list key)
 */
public record PlannedItem(String groupResource, String sourceNamespace, String targetNamespace, String name,
    String apiVersion, String kind) {

  /** Velero's resource list key, {@code <apiVersion>/<Kind>} (reference 1.4). */
  public String resourceListKey() {
    return apiVersion + "/" + kind;
  }

  /** Velero's resource id in error messages: {@code <group.resource>/<ns>/<name>} or {@code <group.resource>/<name>}. */
  public String resourceId() {
    return targetNamespace == null ? groupResource + "/" + name : groupResource + "/" + targetNamespace + "/" + name;
  }
}
