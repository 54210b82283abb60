package dev.rebound.model.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One item to restore into one cluster, published by the coordinator on
 * {@link dev.rebound.model.Topics#RESTORE_ITEMS} when the item's wave starts, and consumed by any
 * item-restorer. It carries everything the item-restorer needs, so item-restorers keep no state.
 *
 * @param restore the Restore's name (the {@code velero.io/restore-name} label value source)
 * @param backup the backup's name (the {@code velero.io/backup-name} label value source)
 * @param cluster the configured target cluster's name
 * @param wave index of the item's wave in the restore's plan
 * @param key the item's key; {@code key.namespace} is the target namespace
 * @param groupResource the backup's resource directory, e.g. {@code deployments.apps} or {@code namespaces}
 * @param sourceNamespace the item's namespace in the backup, null for cluster-scoped items
 * @param context the restore's settings every item needs (spec, uid, resource modifiers)
 * @param object the item as read from the backup (for a Namespace: the object to ensure, already
 *     named with the target name)
 * @param volume for a PersistentVolume or PersistentVolumeClaim, what the coordinator decided about
 *     its volume (reference 3.7, 3.6 step 9); null for other items
 */
public record ItemTask(String restore, String backup, String cluster, int wave, ItemKey key, String groupResource,
    String sourceNamespace, RestoreContext context, ObjectNode object, VolumeHint volume) {

  /** An item without a volume decision. */
  public ItemTask(String restore, String backup, String cluster, int wave, ItemKey key, String groupResource,
      String sourceNamespace, RestoreContext context, ObjectNode object) {
    this(restore, backup, cluster, wave, key, groupResource, sourceNamespace, context, object, null);
  }

  public ItemTask {
    Objects.requireNonNull(restore, "restore");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(groupResource, "groupResource");
    Objects.requireNonNull(object, "object");
    context = context == null ? new RestoreContext(null, null, null) : context;
  }

  /** {@code spec.existingResourcePolicy}: "", {@code none} or {@code update}. */
  public String existingResourcePolicy() {
    return context.existingResourcePolicy();
  }

  /** The Kafka record key: spreads one restore's items over every partition, the same item always to the same one. */
  public String recordKey() {
    return restore + "/" + cluster + "/" + key.resource() + "/" + key.namespace() + "/" + key.name();
  }

  /** Velero's resource id in messages: {@code <group.resource>/<ns>/<name>} or {@code <group.resource>/<name>}. */
  public String resourceId() {
    return key.namespace().isEmpty() ? groupResource + "/" + key.name()
        : groupResource + "/" + key.namespace() + "/" + key.name();
  }
}
