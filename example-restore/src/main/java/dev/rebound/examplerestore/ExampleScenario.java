package dev.rebound.examplerestore;

import dev.rebound.fixtures.ExampleBackup;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * What the main job's target cluster has before the example restore, so that the restore shows
 * Velero's per-item rules at work (reference 3.7, 3.8, 4, 5):
 * <ul>
 *   <li>a ServiceAccount {@code web} already in the target namespace: Velero merges it;
 *   <li>the plugin ConfigMap of {@code velero.io/change-storage-class} mapping the backup's class
 *       {@code standard} to {@link #STORAGE_CLASS}, and that StorageClass;
 *   <li>a resource modifiers ConfigMap that labels the Deployment (a JSON merge patch) and adds a
 *       key to a ConfigMap (a JSON patch).
 * </ul>
 * The Service keeps the node port its manifest chose and gets a new one for the other port; the
 * PersistentVolume (reclaim policy Delete, no snapshot) is left to be re-provisioned for its claim.
 */
public final class ExampleScenario {

  public static final String VELERO_NAMESPACE = "velero";
  public static final String STORAGE_CLASS = "rebound-local";
  public static final String STORAGE_CLASS_CONFIG = "change-storage-class-config";
  public static final String RESOURCE_MODIFIERS = "example-resource-modifiers";
  public static final String EXISTING_SA_LABEL = "team";
  public static final String MODIFIER_LABEL = "restored-by";
  public static final String MODIFIER_KEY = "restored-from";

  /** The resource modifiers document: Velero's format v1 (reference 5). */
  static final String MODIFIERS = """
      version: v1
      resourceModifierRules:
      - conditions:
          groupResource: deployments.apps
          resourceNameRegex: "^web$"
          namespaces: [shop]
        mergePatches:
        - patchData: |
            metadata:
              labels:
                restored-by: rebound
      - conditions:
          groupResource: configmaps
          resourceNameRegex: "^web-config$"
        patches:
        - operation: add
          path: /data/restored-from
          value: example
      """;

  private ExampleScenario() {}

  /** Creates (or replaces) what the scenario needs in the target cluster. */
  public static void prepare(KubernetesClient kube, String targetNamespace) {
    for (String ns : new String[] {VELERO_NAMESPACE, targetNamespace}) {
      if (kube.namespaces().withName(ns).get() == null) {
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .create();
      }
    }
    kube.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata()
        .withName(STORAGE_CLASS).endMetadata().withProvisioner("kubernetes.io/no-provisioner")
        .withVolumeBindingMode("WaitForFirstConsumer").build()).createOr(existing -> existing.update());
    kube.configMaps().inNamespace(VELERO_NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
        .withName(STORAGE_CLASS_CONFIG).withLabels(Map.of("velero.io/plugin-config", "",
            "velero.io/change-storage-class", "RestoreItemAction")).endMetadata()
        .withData(Map.of(ExampleBackup.STORAGE_CLASS, STORAGE_CLASS)).build()).createOr(existing -> existing.update());
    kube.configMaps().inNamespace(VELERO_NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
        .withName(RESOURCE_MODIFIERS).endMetadata().withData(Map.of("rules.yaml", MODIFIERS)).build())
        .createOr(existing -> existing.update());
    if (kube.serviceAccounts().inNamespace(targetNamespace).withName(ExampleBackup.SERVICE_ACCOUNT).get() == null) {
      kube.serviceAccounts().inNamespace(targetNamespace).resource(new ServiceAccountBuilder().withNewMetadata()
          .withName(ExampleBackup.SERVICE_ACCOUNT).withLabels(Map.of(EXISTING_SA_LABEL, "platform")).endMetadata()
          .build()).create();
    }
  }

  /** The Restore the main job submits. */
  public static String request(String backup, String targetNamespace) {
    return """
        apiVersion: velero.io/v1
        kind: Restore
        metadata:
          namespace: %s
        spec:
          backupName: %s
          namespaceMapping:
            %s: %s
          resourceModifier:
            kind: ConfigMap
            name: %s
        """.formatted(VELERO_NAMESPACE, backup, ExampleBackup.SOURCE_NAMESPACE, targetNamespace, RESOURCE_MODIFIERS);
  }
}
