package dev.rebound.coordinator.kube;

import dev.rebound.coordinator.plan.ApiResource;
import dev.rebound.coordinator.plan.GroupVersions;
import dev.rebound.coordinator.plan.ResourceCatalog;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a target cluster's discovery into a {@link ResourceCatalog}: the core group, then every
 * API group at its preferred version. Subresources ({@code pods/log}) are left out.
 */
public final class Discovery {

  private Discovery() {}

  public static ResourceCatalog load(KubernetesClient client) {
    List<ApiResource> all = new ArrayList<>();
    Map<String, GroupVersions.TargetGroup> groups = new LinkedHashMap<>();
    add(all, "", "v1", client.getApiResources("v1"));
    groups.put("", new GroupVersions.TargetGroup("v1", List.of("v1")));
    for (APIGroup group : client.getApiGroups().getGroups()) {
      String version = group.getPreferredVersion().getVersion();
      add(all, group.getName(), version, client.getApiResources(group.getName() + "/" + version));
      groups.put(group.getName(), new GroupVersions.TargetGroup(version,
          group.getVersions().stream().map(v -> v.getVersion()).toList()));
    }
    return new ResourceCatalog(all, groups);
  }

  private static void add(List<ApiResource> all, String group, String version, APIResourceList list) {
    if (list == null) {
      return;
    }
    for (APIResource r : list.getResources()) {
      if (r.getName().contains("/")) {
        continue;
      }
      all.add(new ApiResource(group, version, r.getName(), r.getSingularName(), r.getKind(),
          Boolean.TRUE.equals(r.getNamespaced()), r.getShortNames()));
    }
  }
}
