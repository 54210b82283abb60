package dev.rebound.coordinator.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The target cluster's resources, resolving names as Velero does through the RESTMapper
 * (reference 3.3 step 1): plural, singular or short name, optionally qualified as
 * {@code name.group}; the core group wins an ambiguous bare name, then discovery order.
 */
public final class ResourceCatalog {

  private final List<ApiResource> resources;
  private final Map<String, GroupVersions.TargetGroup> groups;

  /** {@code resources} in discovery order, one entry per resource at its preferred version. */
  public ResourceCatalog(List<ApiResource> resources) {
    this(resources, Map.of());
  }

  /** @param groups every API group ("" for the core group) with its preferred and served versions */
  public ResourceCatalog(List<ApiResource> resources, Map<String, GroupVersions.TargetGroup> groups) {
    this.resources = List.copyOf(resources);
    this.groups = Map.copyOf(groups);
  }

  /** The target's API groups and versions (reference 3.9). */
  public Map<String, GroupVersions.TargetGroup> groups() {
    return groups;
  }

  public List<ApiResource> resources() {
    return resources;
  }

  public Optional<ApiResource> resolve(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.empty();
    }
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    List<ApiResource> bare = new ArrayList<>();
    for (ApiResource r : resources) {
      if (r.answersTo(lower)) {
        bare.add(r);
      }
    }
    Optional<ApiResource> core = bare.stream().filter(r -> r.group().isEmpty()).findFirst();
    if (core.isPresent()) {
      return core;
    }
    if (!bare.isEmpty()) {
      return Optional.of(bare.get(0));
    }
    int dot = lower.indexOf('.');
    if (dot > 0) {
      String resource = lower.substring(0, dot);
      String group = lower.substring(dot + 1);
      return resources.stream().filter(r -> r.group().equals(group) && r.answersTo(resource)).findFirst();
    }
    return Optional.empty();
  }

  /** The {@code resource.group} a name resolves to, or the name itself when discovery does not know it. */
  public String groupResourceOf(String name) {
    return resolve(name).map(ApiResource::groupResource).orElse(name);
  }
}
