package dev.rebound.coordinator.order;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The order in which resources are restored (reference 3.4): the high-priority resources in their
 * order, then every other resource of the backup alphabetically, then the low-priority resources.
 * Configured with Velero's {@code --restore-resource-priorities} format.
 */
public record RestorePriorities(List<String> high, List<String> low) {

  /** The separator between high and low priorities in the flag format. */
  public static final String SEPARATOR = "-";

  /** Velero 1.18's defaults, each with the reason it sits where it does. */
  public static final List<String> DEFAULT_HIGH = List.of(
      // Custom resources need their definitions first (restored in their own pass, 3.2 step 5).
      "customresourcedefinitions",
      // Every namespaced item needs its namespace.
      "namespaces",
      // PVs and PVCs name storage classes; dynamic provisioning needs the class to exist.
      "storageclasses",
      // CSI snapshots: class, then contents, then snapshots, before the PVCs restored from them.
      "volumesnapshotclass.snapshot.storage.k8s.io",
      "volumesnapshotcontents.snapshot.storage.k8s.io",
      "volumesnapshots.snapshot.storage.k8s.io",
      // Data-mover uploads become ConfigMaps the PVC restore reads.
      "datauploads.velero.io",
      // Volumes before the claims that bind them, claims before the pods that mount them.
      "persistentvolumes",
      "persistentvolumeclaims",
      // RBAC before the workloads that run under it (controllers act as soon as pods exist).
      "clusterroles",
      "roles",
      // Pods are rejected without their service account.
      "serviceaccounts",
      "clusterrolebindings",
      "rolebindings",
      // Pods mount secrets and config maps, and are admitted against limit ranges.
      "secrets",
      "configmaps",
      "limitranges",
      // Pods name a priority class, which must exist when they are admitted.
      "priorityclasses",
      // Pods before their owners, so restored controllers adopt them instead of creating new ones.
      "pods",
      "replicasets.apps",
      // Cluster API: a ClusterClass before the clusters that use it.
      "clusterclasses.cluster.x-k8s.io",
      // Endpoints before services, so a service restored with endpoints keeps them.
      "endpoints",
      "services");

  public static final List<String> DEFAULT_LOW = List.of(
      // Cluster API and Tanzu objects that reconcile whole clusters: restored last, once all they
      // refer to exists.
      "clusterbootstraps.run.tanzu.vmware.com",
      "clusters.cluster.x-k8s.io",
      "clusterresourcesets.addons.cluster.x-k8s.io",
      // Carvel app and package installs deploy other resources: restore them after those.
      "apps.kappctrl.k14s.io",
      "packageinstalls.packaging.carvel.dev");

  public static final RestorePriorities DEFAULT = new RestorePriorities(DEFAULT_HIGH, DEFAULT_LOW);

  public RestorePriorities {
    high = List.copyOf(high);
    low = List.copyOf(low);
  }

  /**
   * Parses Velero's flag format: a comma list where a single {@code -} separates high from low;
   * a leading {@code -} gives only low priorities, a trailing one only high; an empty value keeps
   * the defaults.
   */
  public static RestorePriorities parse(String flag) {
    if (flag == null || flag.isEmpty()) {
      return DEFAULT;
    }
    List<String> parts = Arrays.asList(flag.split(",", -1));
    int separator = -1;
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).equals(SEPARATOR)) {
        if (separator > -1) {
          throw new IllegalArgumentException("multiple priority separator \"" + SEPARATOR + "\" found");
        }
        separator = i;
      }
    }
    if (separator == -1) {
      return new RestorePriorities(parts, List.of());
    }
    return new RestorePriorities(parts.subList(0, separator), parts.subList(separator + 1, parts.size()));
  }

  /**
   * The resources of a backup in restore order: high priorities verbatim, then the backup's other
   * resource directories sorted as plain strings, then low priorities. Names are not resolved here
   * (a priority entry that names a backup directory differently is deduplicated after discovery).
   */
  public List<String> order(Set<String> backupResources) {
    Set<String> listed = new LinkedHashSet<>(high);
    listed.addAll(low);
    List<String> middle = new ArrayList<>();
    for (String r : backupResources) {
      if (!listed.contains(r)) {
        middle.add(r);
      }
    }
    middle.sort(null);
    List<String> all = new ArrayList<>(high);
    all.addAll(middle);
    all.addAll(low);
    return all;
  }

  /** The flag form of these priorities, as Velero prints it. */
  @Override
  public String toString() {
    List<String> all = new ArrayList<>(high);
    if (!low.isEmpty()) {
      all.add(SEPARATOR);
      all.addAll(low);
    }
    return String.join(",", all);
  }
}
