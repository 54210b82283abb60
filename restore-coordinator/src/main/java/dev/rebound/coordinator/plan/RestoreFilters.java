package dev.rebound.coordinator.plan;

import dev.rebound.model.filter.IncludesExcludes;
import dev.rebound.model.filter.LabelSelectors;
import dev.rebound.model.velero.LabelSelector;
import dev.rebound.model.velero.RestoreSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which backed-up items a restore selects (reference 3.3), decided per item from its resource,
 * source namespace and labels. Resource names in the spec are resolved through the target
 * cluster's discovery; unknown names stay as written and match as globs.
 *
 * <p>Deliberate difference from Velero's main branch: namespace patterns are matched as globs
 * against each item's source namespace and are never "expanded" first, so an include pattern that
 * matches no namespace selects nothing (Velero main would then restore every namespace).
 */
public final class RestoreFilters {

  /** Resources Velero restores whatever the filters say (reference 3.3 step 3). */
  public static final Set<String> MUST_HAVE =
      Set.of("datauploads.velero.io", "volumesnapshotcontents.snapshot.storage.k8s.io");

  private final IncludesExcludes namespaces;
  private final IncludesExcludes resources;
  private final Boolean includeClusterResources;
  private final LabelSelector labelSelector;
  private final List<LabelSelector> orLabelSelectors;
  private final Map<String, String> namespaceMapping;

  public RestoreFilters(RestoreSpec spec, ResourceCatalog catalog) {
    this.namespaces = new IncludesExcludes(spec.includedNamespaces(), spec.excludedNamespaces());
    this.resources = new IncludesExcludes(resolve(spec.includedResources(), catalog),
        resolve(spec.excludedResources(), catalog));
    this.includeClusterResources = spec.includeClusterResources();
    this.labelSelector = spec.labelSelector();
    this.orLabelSelectors = spec.orLabelSelectors();
    this.namespaceMapping = spec.namespaceMapping() == null ? Map.of() : Map.copyOf(spec.namespaceMapping());
  }

  public static boolean mustHave(String groupResource) {
    return MUST_HAVE.contains(groupResource);
  }

  /** Step 3: the resource filter (must-haves always pass). */
  public boolean selectsResource(String groupResource) {
    return mustHave(groupResource) || resources.shouldInclude(groupResource);
  }

  /**
   * Step 5: the namespace filter on a namespaced item's source namespace, or the cluster-scoped
   * gate: {@code includeClusterResources} false never, true always, unset only when the namespace
   * filter selects everything. Namespace objects are cluster-scoped but named after a namespace:
   * they also pass the namespace filter by their own name (Velero would create every backed-up
   * namespace once cluster resources are included; we create only the selected ones).
   */
  public boolean selectsScope(String groupResource, String sourceNamespace, String name) {
    if (mustHave(groupResource)) {
      return true;
    }
    if (sourceNamespace != null) {
      return namespaces.shouldInclude(sourceNamespace);
    }
    if (Boolean.FALSE.equals(includeClusterResources)) {
      return false;
    }
    if (groupResource.equals("namespaces")) {
      return (Boolean.TRUE.equals(includeClusterResources) || namespaces.isEverything())
          && namespaces.shouldInclude(name);
    }
    return Boolean.TRUE.equals(includeClusterResources) || namespaces.isEverything();
  }

  /**
   * Reference 3.3, additional items: an item an action asks for is re-checked against the resource
   * filter, the namespace filter on its source namespace and, when cluster-scoped, only
   * {@code includeClusterResources: false}; label selectors do not apply.
   */
  public boolean selectsAdditional(String groupResource, String sourceNamespace) {
    if (!selectsResource(groupResource)) {
      return false;
    }
    return sourceNamespace != null ? mustHave(groupResource) || namespaces.shouldInclude(sourceNamespace)
        : !Boolean.FALSE.equals(includeClusterResources);
  }

  /** Step 6: labelSelector, then at least one orLabelSelector if any (must-haves skip selectors). */
  public boolean selectsLabels(String groupResource, Map<String, String> labels) {
    return mustHave(groupResource) || LabelSelectors.selects(labelSelector, orLabelSelectors, labels);
  }

  /** Step 7: the target namespace, from {@code namespaceMapping} or the source namespace itself. */
  public String targetNamespace(String sourceNamespace) {
    return sourceNamespace == null ? null : namespaceMapping.getOrDefault(sourceNamespace, sourceNamespace);
  }

  static List<String> resolve(List<String> names, ResourceCatalog catalog) {
    if (names == null) {
      return List.of();
    }
    return names.stream().map(n -> n.equals("*") ? n : catalog.groupResourceOf(n)).toList();
  }
}
