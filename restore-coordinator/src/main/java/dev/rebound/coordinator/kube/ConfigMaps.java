package dev.rebound.coordinator.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;

/** Reads configuration ConfigMaps (resource modifiers, plugin settings) from a target cluster. */
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
}
