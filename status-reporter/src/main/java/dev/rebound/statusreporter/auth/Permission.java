package dev.rebound.statusreporter.auth;

/**
 * A right the API asks of a caller, as the attributes of a SubjectAccessReview: a verb on a
 * resource (optionally a named one) in a namespace, or a verb on a non-resource path.
 */
public record Permission(String verb, String group, String resource, String name, String namespace, String path) {

  /** Super-admin: may create (and cancel and delete) restores. */
  public static Permission admin(String veleroNamespace) {
    return new Permission("create", "velero.io", "restores", null, veleroNamespace, null);
  }

  /** Viewer: may read restores, their files and events, and the backups they can name. */
  public static Permission view(String veleroNamespace) {
    return new Permission("get", "velero.io", "restores", null, veleroNamespace, null);
  }

  /** May restore into target cluster {@code cluster} ({@code rebound.auth.per-cluster-access}). */
  public static Permission restoreInto(String cluster, String veleroNamespace) {
    return new Permission("restore", "rebound.dev", "clusters", cluster, veleroNamespace, null);
  }

  /** May scrape {@code /q/metrics}, as kube-rbac-proxy asks of Prometheus: {@code get} on {@code /metrics}. */
  public static Permission metrics() {
    return new Permission("get", null, null, null, null, "/metrics");
  }

  public boolean nonResource() {
    return path != null;
  }

  /**
   * The API server's own wording of a denial (its {@code Forbidden} message), so that it reads as
   * kubectl users know it, for example {@code restores.velero.io is forbidden: User "alice" cannot
   * create resource "restores" in API group "velero.io" in the namespace "velero"}.
   */
  public String forbidden(String username) {
    if (nonResource()) {
      return "forbidden: User \"" + username + "\" cannot " + verb + " path \"" + path + "\"";
    }
    return groupResource() + (name == null ? "" : " \"" + name + "\"") + " is forbidden: User \"" + username
        + "\" cannot " + verb + " resource \"" + resource + "\" in API group \"" + group + "\""
        + (namespace == null ? " at the cluster scope" : " in the namespace \"" + namespace + "\"");
  }

  public String groupResource() {
    return group == null || group.isEmpty() ? resource : resource + "." + group;
  }
}
