package dev.rebound.coordinator.plan;

import java.util.List;

/** One resource the target cluster serves, as its discovery reports it. */
public record ApiResource(
    String group, String version, String resource, String singular, String kind, boolean namespaced,
    List<String> shortNames) {

  public ApiResource {
    shortNames = shortNames == null ? List.of() : List.copyOf(shortNames);
    singular = singular == null || singular.isEmpty() ? kind.toLowerCase(java.util.Locale.ROOT) : singular;
  }

  /** Velero's {@code resource.group} form; the core group has no suffix. */
  public String groupResource() {
    return group.isEmpty() ? resource : resource + "." + group;
  }

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  boolean answersTo(String name) {
    return resource.equals(name) || singular.equals(name) || shortNames.contains(name);
  }
}
