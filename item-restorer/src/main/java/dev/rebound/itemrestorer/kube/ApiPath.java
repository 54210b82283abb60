package dev.rebound.itemrestorer.kube;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a resource lives on a Kubernetes API server: {@code /api/v1/...} for the core group,
 * {@code /apis/<group>/<version>/...} otherwise, with {@code namespaces/<ns>/} for namespaced ones.
 *
 * @param namespace null or empty for cluster-scoped resources
 */
public record ApiPath(String group, String version, String plural, String namespace) {

  /**
   * The path of an item restored from the backup: resource and group from its directory
   * ({@code deployments.apps}), version from the object's {@code apiVersion}, as Velero sends the
   * object's own apiVersion when version selection is off (reference 3.9).
   */
  public static ApiPath of(String groupResource, String apiVersion, String namespace) {
    int dot = groupResource.indexOf('.');
    String plural = dot < 0 ? groupResource : groupResource.substring(0, dot);
    String group = dot < 0 ? "" : groupResource.substring(dot + 1);
    int slash = apiVersion.lastIndexOf('/');
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    return new ApiPath(group, version, plural, namespace);
  }

  public String collection() {
    StringBuilder path = new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
    if (namespace != null && !namespace.isEmpty()) {
      path.append("/namespaces/").append(encode(namespace));
    }
    return path.append('/').append(plural).toString();
  }

  public String item(String name) {
    return collection() + "/" + encode(name);
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
