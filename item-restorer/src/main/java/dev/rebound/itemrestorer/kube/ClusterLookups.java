package dev.rebound.itemrestorer.kube;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.itemrestorer.actions.ActionException;
import dev.rebound.itemrestorer.actions.TargetLookups;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The actions' reads of one target cluster, through its API with retries. Velero lists an action's
 * plugin ConfigMap at every item it runs on; here a listing serves the same action for a few
 * seconds, so a wave of pods or claims costs one listing, not one per item, while a ConfigMap
 * created for the next restore is still seen.
 */
public final class ClusterLookups implements TargetLookups {

  /** How long a plugin ConfigMap listing is reused. */
  static final java.time.Duration PLUGIN_CONFIG_TTL = java.time.Duration.ofSeconds(5);

  private record Cached(long at, Optional<Map<String, String>> data) {}

  private final java.util.concurrent.ConcurrentHashMap<String, Cached> pluginConfigs =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final ApiPath STORAGE_CLASSES = new ApiPath("storage.k8s.io", "v1", "storageclasses", null);
  private static final ApiPath NODES = new ApiPath("", "v1", "nodes", null);
  private static final ApiPath SNAPSHOT_CLASSES =
      new ApiPath("snapshot.storage.k8s.io", "v1", "volumesnapshotclasses", null);

  private final KubeApi api;
  private final Retrying retrying;
  private final String veleroNamespace;

  public ClusterLookups(KubeApi api, Retrying retrying, String veleroNamespace) {
    this.api = api;
    this.retrying = retrying;
    this.veleroNamespace = veleroNamespace;
  }

  /** Velero's {@code GetPluginConfig}, for restore item actions. */
  @Override
  public Optional<Map<String, String>> pluginConfig(String actionName) throws ActionException {
    long now = System.nanoTime();
    Cached cached = pluginConfigs.get(actionName);
    if (cached != null && now - cached.at() < PLUGIN_CONFIG_TTL.toNanos()) {
      return cached.data();
    }
    Optional<Map<String, String>> data = listPluginConfig(actionName);
    pluginConfigs.put(actionName, new Cached(now, data));
    return data;
  }

  /** Velero's {@code GetPluginConfig}: failures are not remembered. */
  private Optional<Map<String, String>> listPluginConfig(String actionName) throws ActionException {
    String selector = "velero.io/plugin-config," + actionName + "=RestoreItemAction";
    ApiResponse list = retrying.call(() -> api.list(new ApiPath("", "v1", "configmaps", veleroNamespace), selector));
    if (!list.ok()) {
      throw new ActionException(list.message());
    }
    JsonNode items = list.object().path("items");
    if (items.size() == 0) {
      return Optional.empty();
    }
    if (items.size() > 1) {
      List<String> names = new ArrayList<>();
      items.forEach(i -> names.add(i.path("metadata").path("name").asText()));
      throw new ActionException("found more than one ConfigMap matching label selector \"" + selector + "\": ["
          + String.join(" ", names) + "]");
    }
    Map<String, String> data = new LinkedHashMap<>();
    items.get(0).path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
    return Optional.of(data);
  }

  @Override
  public void requireStorageClass(String name) throws ActionException {
    ApiResponse storageClass = retrying.call(() -> api.get(STORAGE_CLASSES, name));
    if (!storageClass.ok()) {
      throw new ActionException("error getting storage class " + name + " from API: " + storageClass.message());
    }
  }

  @Override
  public boolean nodeExists(String name) throws ActionException {
    ApiResponse node = retrying.call(() -> api.get(NODES, name));
    if (node.code() == 404) {
      return false;
    }
    if (!node.ok()) {
      throw new ActionException(node.message());
    }
    return true;
  }

  @Override
  public boolean claimExists(String namespace, String name) {
    return retrying.call(() -> api.get(new ApiPath("", "v1", "persistentvolumeclaims", namespace), name)).ok();
  }

  @Override
  public Optional<String> volumeSnapshotClassFor(String driver) {
    ApiResponse list = retrying.call(() -> api.list(SNAPSHOT_CLASSES, null));
    if (!list.ok()) {
      return Optional.empty();
    }
    for (JsonNode snapshotClass : list.object().path("items")) {
      if (driver.equals(snapshotClass.path("driver").asText())) {
        return Optional.of(snapshotClass.path("metadata").path("name").asText());
      }
    }
    return Optional.empty();
  }

  @Override
  public List<String> serviceAccountNames(String namespace) throws ActionException {
    ApiResponse list = retrying.call(() -> api.list(new ApiPath("", "v1", "serviceaccounts", namespace), null));
    if (!list.ok()) {
      throw new ActionException(list.message());
    }
    List<String> names = new ArrayList<>();
    list.object().path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
    return names;
  }
}
