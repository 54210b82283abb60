package dev.rebound.coordinator.kube;

import dev.rebound.model.velero.InlineResourceModifiers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Optional;

/**
 * Reads configuration ConfigMaps (resource modifiers, plugin settings) from a target cluster, and
 * keeps the ConfigMaps of inline resource modifiers ({@link InlineResourceModifiers}).
 */
public final class ConfigMaps {

  private ConfigMaps() {}

  /** The ConfigMap's data, or empty when it does not exist. */
  public static Optional<Map<String, String>> data(KubernetesClient client, String namespace, String name) {
    ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
    if (cm == null) {
      return Optional.empty();
    }
    return Optional.of(cm.getData() == null ? Map.of() : cm.getData());
  }

  /**
   * Makes the ConfigMap of a restore's inline resource modifiers hold {@code data}: creates it, or
   * sets its data when it was made for the same restore (a planning run again after a crash). A
   * ConfigMap of that name made by anyone else is left alone and is an error.
   *
   * @throws IllegalArgumentException when a ConfigMap of that name belongs to something else
   * @throws KubernetesClientException when the API server refuses or does not answer
   */
  public static void ensureInline(KubernetesClient client, String namespace, String name, Map<String, String> data,
      String restore, String uid) {
    var resource = client.configMaps().inNamespace(namespace).withName(name);
    for (int attempt = 0; ; attempt++) {
      ConfigMap existing = resource.get();
      if (existing == null) {
        try {
          client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
              .withNewMetadata().withName(name).withNamespace(namespace)
              .addToLabels("app.kubernetes.io/managed-by", "rebound")
              .addToAnnotations(InlineResourceModifiers.RESTORE_NAME, restore)
              .addToAnnotations(InlineResourceModifiers.RESTORE_UID, uid)
              .endMetadata().withData(data).build()).create();
          return;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409 || attempt > 0) {
            throw e;
          }
          continue; // made in between: look at it
        }
      }
      if (!uid.equals(annotation(existing, InlineResourceModifiers.RESTORE_UID))) {
        throw new IllegalArgumentException("resource modifiers configmap " + namespace + "/" + name
            + " already exists and was not made by Rebound for restore " + restore + " (uid " + uid
            + "); it is left as it is");
      }
      if (!data.equals(existing.getData())) {
        resource.edit(cm -> new ConfigMapBuilder(cm).withData(data).build());
      }
      return;
    }
  }

  /**
   * Deletes the ConfigMap of a restore's inline resource modifiers, if it exists and was made for
   * that restore (its uid).
   *
   * @return whether one was deleted
   * @throws KubernetesClientException when the API server refuses or does not answer
   */
  public static boolean deleteInline(KubernetesClient client, String namespace, String name, String uid) {
    var resource = client.configMaps().inNamespace(namespace).withName(name);
    ConfigMap existing = resource.get();
    if (existing == null || uid == null || !uid.equals(annotation(existing, InlineResourceModifiers.RESTORE_UID))) {
      return false;
    }
    return !resource.delete().isEmpty();
  }

  private static String annotation(ConfigMap cm, String key) {
    return cm.getMetadata().getAnnotations() == null ? null : cm.getMetadata().getAnnotations().get(key);
  }
}
