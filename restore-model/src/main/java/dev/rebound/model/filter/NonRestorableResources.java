package dev.rebound.model.filter;

import java.util.List;

/**
 * Resources Velero never restores (reference 3.10), in Velero's order: appended to a restore's
 * {@code excludedResources}, and a validation error when explicitly included.
 */
public final class NonRestorableResources {

  public static final List<String> LIST = List.of(
      // Nodes belong to the target cluster's infrastructure, not to the backed-up workloads.
      "nodes",
      // Events describe the source cluster's history; replaying them would be misleading.
      "events",
      "events.events.k8s.io",
      // Velero's own records: restoring them would resurrect backups/restores of another cluster.
      "backups.velero.io",
      "restores.velero.io",
      "resticrepositories.velero.io",
      // Per-node storage state, recreated by the target's kubelets and attach controller.
      "csinodes.storage.k8s.io",
      "volumeattachments.storage.k8s.io",
      "backuprepositories.velero.io");

  private NonRestorableResources() {}
}
