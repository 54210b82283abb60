package dev.rebound.itemrestorer.restore;

import static dev.rebound.itemrestorer.restore.TestItems.json;
import static dev.rebound.itemrestorer.restore.TestItems.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.snapshots.VolumeSnapshotters;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.RestoreEvent.ItemRestored;
import dev.rebound.model.pipeline.VolumeHint;
import dev.rebound.model.pipeline.VolumeHint.PersistentVolumeAction;
import dev.rebound.model.velero.ResourceModifiers;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.model.velero.Result;
import dev.rebound.support.kube.TargetClusters;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.KubeServerResource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ItemRestore} against the real kube-apiserver: the per-item behaviours of reference 3.6-3.8,
 * 4 and 5 that depend on what the API server does (node port allocation, AlreadyExists, merge
 * patches, immutable objects, StorageClass lookups, CRD establishment).
 */
@QuarkusTest
@WithTestResource(KafkaServerResource.class)
@WithTestResource(value = KubeServerResource.class,
    initArgs = @ResourceArg(name = "prefix", value = "rebound.item-restorer"))
class ItemRestoreIT {

  @Inject TargetClusters clusters;

  private KubernetesClient kube;
  private ItemRestore restorer;

  @BeforeEach
  void restorer() {
    kube = clusters.defaultClient();
    restorer = TestRestorers.itemRestore(kube, "velero", VolumeSnapshotters.builtIn());
  }

  // ---- helpers

  private String namespace() {
    String ns = "ir-" + UUID.randomUUID().toString().substring(0, 8);
    kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    return ns;
  }



  private ItemRestored restore(String restore, String groupResource, String namespace, ObjectNode object,
      RestoreSpec spec, ResourceModifiers modifiers) {
    return restore(restore, groupResource, namespace, object, spec, modifiers, null);
  }

  private ItemRestored restore(String restore, String groupResource, String namespace, ObjectNode object,
      RestoreSpec spec, ResourceModifiers modifiers, VolumeHint volume) {
    return restorer.restore(TestRestorers.task(restore, groupResource, namespace, object, spec, modifiers, volume));
  }

  private ItemRestored restore(String restore, String groupResource, String namespace, ObjectNode object) {
    return restore(restore, groupResource, namespace, object, spec("{\"backupName\":\"nightly\"}"), null);
  }

  private static List<String> messages(Result r) {
    return r.messages();
  }

  // ---- Services and node ports (reference 4, velero.io/service; 3.6 step 15)

  private static int freeNodePort() {
    return ThreadLocalRandom.current().nextInt(30100, 32700);
  }

  private static ObjectNode nodePortService(String ns, String name, int chosen, int assigned) {
    return json("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
        + ns + "\",\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"spec\\\":{\\\"type\\\":"
        + "\\\"NodePort\\\",\\\"ports\\\":[{\\\"name\\\":\\\"http\\\",\\\"port\\\":80,\\\"nodePort\\\":" + chosen
        + "},{\\\"name\\\":\\\"metrics\\\",\\\"port\\\":9090}]}}\"}},\"spec\":{\"type\":\"NodePort\","
        + "\"clusterIP\":\"10.96.10.10\",\"clusterIPs\":[\"10.96.10.10\"],\"selector\":{\"app\":\"web\"},\"ports\":["
        + "{\"name\":\"http\",\"port\":80,\"protocol\":\"TCP\",\"targetPort\":80,\"nodePort\":" + chosen + "},"
        + "{\"name\":\"metrics\",\"port\":9090,\"protocol\":\"TCP\",\"targetPort\":9090,\"nodePort\":" + assigned
        + "}]},\"status\":{\"loadBalancer\":{}}}");
  }

  @Test
  void theChosenNodePortIsKeptAndTheAssignedOneIsLeftToTheTargetCluster() {
    String source = namespace();
    int chosen = freeNodePort();
    int assigned = chosen == 32699 ? 30099 : chosen + 1;
    ItemRestored result = restore("svc-1", "services", source, nodePortService(source, "web", chosen, assigned));
    assertEquals(ItemAction.CREATED, result.action(), result.toString());
    Service svc = kube.services().inNamespace(source).withName("web").get();
    assertEquals(chosen, svc.getSpec().getPorts().get(0).getNodePort());
    assertNotEquals(null, svc.getSpec().getPorts().get(1).getNodePort(), "the target assigns one");
    assertNotEquals("10.96.10.10", svc.getSpec().getClusterIP());
  }

  @Test
  void withoutPreserveNodePortsOnlyTheChosenNodePortCanConflict() {
    String first = namespace();
    int chosen = freeNodePort();
    int assigned = chosen == 32699 ? 30099 : chosen + 1;
    assertEquals(ItemAction.CREATED, restore("svc-4", "services", first, nodePortService(first, "web", chosen,
        assigned)).action());
    // The same Service into another namespace: the chosen node port is kept, so it conflicts; the
    // assigned one was dropped and cannot.
    String second = namespace();
    ItemRestored conflict = restore("svc-4", "services", second, nodePortService(first, "web", chosen, assigned));
    assertEquals(ItemAction.FAILED, conflict.action());
    String error = messages(conflict.errors()).get(0);
    assertTrue(error.contains("spec.ports[0].nodePort") && error.contains("provided port is already allocated")
        && !error.contains("spec.ports[1]"), error);
    // Without the chosen one in the manifest, nothing conflicts: both node ports are assigned anew.
    ObjectNode unchosen = nodePortService(first, "web", chosen, assigned);
    ((ObjectNode) unchosen.get("metadata")).remove("annotations");
    ItemRestored reassigned = restore("svc-4", "services", second, unchosen);
    assertEquals(ItemAction.CREATED, reassigned.action(), reassigned.toString());
    assertTrue(kube.services().inNamespace(second).withName("web").get().getSpec().getPorts().stream()
        .noneMatch(p -> p.getNodePort() == chosen));
  }

  @Test
  void preserveNodePortsKeepsEveryNodePortAndAConflictInAnotherNamespaceIsAnError() {
    String first = namespace();
    int chosen = freeNodePort();
    int assigned = chosen == 32699 ? 30099 : chosen + 1;
    RestoreSpec preserve = spec("{\"backupName\":\"nightly\",\"preserveNodePorts\":true}");
    ItemRestored kept = restore("svc-2", "services", first, nodePortService(first, "web", chosen, assigned), preserve,
        null);
    assertEquals(ItemAction.CREATED, kept.action(), kept.toString());
    Service svc = kube.services().inNamespace(first).withName("web").get();
    assertEquals(List.of(chosen, assigned), svc.getSpec().getPorts().stream().map(p -> p.getNodePort()).toList());

    // The same ports in another namespace: the API server refuses them, and no Service of that name
    // exists there, so it is an error, not "already exists" (3.6 step 15).
    String second = namespace();
    ItemRestored conflict = restore("svc-2", "services", second, nodePortService(first, "web", chosen, assigned),
        preserve, null);
    assertEquals(ItemAction.FAILED, conflict.action());
    String error = messages(conflict.errors()).get(0);
    assertTrue(error.startsWith("error restoring services/" + second + "/web: ") && error.contains(
        "provided port is already allocated"), error);

    // Restored again where it exists: the port conflict means "exists", with Velero's warning.
    ItemRestored again = restore("svc-3", "services", first, nodePortService(first, "web", chosen, assigned), preserve,
        null);
    assertEquals(ItemAction.FAILED, again.action());
    assertEquals(List.of("could not restore, Service:web already exists. Warning: the in-cluster version is different "
        + "than the backed-up version"), messages(again.warnings()));
    assertTrue(again.errors().isEmpty());
  }

  // ---- Existing objects (reference 3.8)

  private static ObjectNode configMap(String ns, String name, String value) {
    return json("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
        + ns + "\",\"uid\":\"0b6c\",\"resourceVersion\":\"77\"},\"data\":{\"mode\":\"" + value + "\"}}");
  }

  private ConfigMap existingConfigMap(String ns, String name, String value, boolean immutable) {
    return kube.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
        .withLabels(Map.of("owner", "cluster")).endMetadata().withData(Map.of("mode", value))
        .withImmutable(immutable ? Boolean.TRUE : null).build()).create();
  }

  @Test
  void anExistingDifferentObjectGetsVelerosWarningForEachPolicy() {
    String ns = namespace();
    existingConfigMap(ns, "settings", "live", false);
    ItemRestored unset = restore("cm-unset", "configmaps", ns, configMap(ns, "settings", "backed-up"));
    assertEquals(List.of("could not restore, ConfigMap:settings already exists. Warning: the in-cluster version is "
        + "different than the backed-up version"), messages(unset.warnings()));
    assertEquals(ItemAction.FAILED, unset.action());
    ItemRestored none = restore("cm-none", "configmaps", ns, configMap(ns, "settings", "backed-up"),
        spec("{\"backupName\":\"nightly\",\"existingResourcePolicy\":\"none\"}"), null);
    assertEquals(List.of("could not restore, ConfigMap \"settings\" already exists. Warning: the in-cluster version "
        + "is different than the backed-up version"), messages(none.warnings()));
    assertEquals("live", kube.configMaps().inNamespace(ns).withName("settings").get().getData().get("mode"));
  }

  @Test
  void policyUpdatePatchesTheExistingObjectToTheBackedUpVersion() {
    String ns = namespace();
    existingConfigMap(ns, "settings", "live", false);
    ItemRestored updated = restore("cm-update", "configmaps", ns, configMap(ns, "settings", "backed-up"),
        spec("{\"backupName\":\"nightly\",\"existingResourcePolicy\":\"update\"}"), null);
    assertEquals(ItemAction.UPDATED, updated.action(), updated.toString());
    assertTrue(updated.warnings().isEmpty() && updated.errors().isEmpty(), updated.toString());
    ConfigMap cm = kube.configMaps().inNamespace(ns).withName("settings").get();
    assertEquals("backed-up", cm.getData().get("mode"));
    assertEquals("cm-update", cm.getMetadata().getLabels().get("velero.io/restore-name"));
  }

  @Test
  void whenTheUpdatePatchIsRefusedOnlyTheRestoreLabelsArePatched() {
    String ns = namespace();
    existingConfigMap(ns, "frozen", "live", true); // immutable: its data cannot change
    ItemRestored result = restore("cm-frozen", "configmaps", ns, configMap(ns, "frozen", "backed-up"),
        spec("{\"backupName\":\"nightly\",\"existingResourcePolicy\":\"update\"}"), null);
    assertEquals(ItemAction.FAILED, result.action(), result.toString());
    assertEquals(1, result.warnings().count(), result.toString());
    assertTrue(messages(result.warnings()).get(0).contains("immutable"), result.toString());
    assertTrue(result.errors().isEmpty(), result.toString());
    ConfigMap cm = kube.configMaps().inNamespace(ns).withName("frozen").get();
    assertEquals("live", cm.getData().get("mode"));
    assertEquals("cm-frozen", cm.getMetadata().getLabels().get("velero.io/restore-name"));
    assertEquals("nightly", cm.getMetadata().getLabels().get("velero.io/backup-name"));
  }

  @Test
  void anExistingServiceAccountIsMergedWhateverThePolicy() {
    String ns = namespace();
    kube.serviceAccounts().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
        .withNewMetadata().withName("web").withLabels(Map.of("team", "live")).endMetadata()
        .addNewSecret().withName("live-secret").endSecret().build()).create();
    ObjectNode backedUp = json("{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"web\","
        + "\"namespace\":\"" + ns + "\",\"labels\":{\"team\":\"backup\",\"app\":\"web\"}},\"secrets\":["
        + "{\"name\":\"web-token-abcde\"},{\"name\":\"backup-secret\"}],\"imagePullSecrets\":[{\"name\":\"registry\"}]}");
    ItemRestored result = restore("sa-merge", "serviceaccounts", ns, backedUp);
    assertEquals(ItemAction.UPDATED, result.action(), result.toString());
    ServiceAccount sa = kube.serviceAccounts().inNamespace(ns).withName("web").get();
    // The backed-up token secret is dropped by the service-account action; the cluster's entries,
    // among them the token its own controller added (Kubernetes 1.20), come first and stay.
    List<String> secrets = sa.getSecrets().stream().map(s -> s.getName()).toList();
    assertEquals("live-secret", secrets.get(0));
    assertEquals("backup-secret", secrets.get(secrets.size() - 1));
    assertTrue(!secrets.contains("web-token-abcde"), secrets.toString());
    assertEquals(List.of("registry"), sa.getImagePullSecrets().stream().map(s -> s.getName()).toList());
    assertEquals("live", sa.getMetadata().getLabels().get("team"));
    assertEquals("web", sa.getMetadata().getLabels().get("app"));
    // Velero quirk followed: the patch is computed from the in-cluster copy after the restore labels
    // were added to it, so the merged ServiceAccount does not get them.
    assertEquals(null, sa.getMetadata().getLabels().get("velero.io/restore-name"));
  }

  // ---- change-storage-class (reference 4)

  @Test
  void storageClassMappingNeedsTheTargetClass() {
    String ns = namespace();
    String cm = "change-storage-class-" + UUID.randomUUID().toString().substring(0, 6);
    if (kube.namespaces().withName("velero").get() == null) {
      kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("velero").endMetadata().build())
          .create();
    }
    kube.configMaps().inNamespace("velero").resource(new ConfigMapBuilder().withNewMetadata().withName(cm)
        .withLabels(Map.of("velero.io/plugin-config", "", "velero.io/change-storage-class", "RestoreItemAction"))
        .endMetadata().withData(Map.of("standard", "missing-class", "slow", "fast-" + cm)).build()).create();
    try {
      ItemRestored missing = restore("sc-1", "persistentvolumeclaims", ns, pvc(ns, "data", "standard"));
      assertEquals(ItemAction.FAILED, missing.action());
      assertEquals(List.of("error preparing persistentvolumeclaims/" + ns + "/data: error getting storage class "
          + "missing-class from API: storageclasses.storage.k8s.io \"missing-class\" not found"),
          messages(missing.errors()));
      assertEquals(null, kube.persistentVolumeClaims().inNamespace(ns).withName("data").get());

      kube.storage().v1().storageClasses().resource(new io.fabric8.kubernetes.api.model.storage.StorageClassBuilder()
          .withNewMetadata().withName("fast-" + cm).endMetadata().withProvisioner("example.com/none").build()).create();
      ItemRestored mapped = restore("sc-1", "persistentvolumeclaims", ns, pvc(ns, "logs", "slow"));
      assertEquals(ItemAction.CREATED, mapped.action(), mapped.toString());
      assertEquals("fast-" + cm, kube.persistentVolumeClaims().inNamespace(ns).withName("logs").get().getSpec()
          .getStorageClassName());
    } finally {
      kube.configMaps().inNamespace("velero").withName(cm).delete();
    }
  }

  private static ObjectNode pvc(String ns, String name, String storageClass) {
    return json("{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"" + ns + "\",\"annotations\":{\"pv.kubernetes.io/bind-completed\":\"yes\"}},"
        + "\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],\"storageClassName\":\"" + storageClass + "\","
        + "\"resources\":{\"requests\":{\"storage\":\"1Gi\"}}},\"status\":{\"phase\":\"Bound\"}}");
  }

  // ---- resource modifiers (reference 5) and CRDs (3.6 step 21)

  @Test
  void aResourceModifierChangesTheItemBeforeItIsCreated() {
    String ns = namespace();
    ResourceModifiers modifiers = ResourceModifiers.fromConfigMapData("velero", "mods", Map.of("m.yaml",
        "version: v1\nresourceModifierRules:\n- conditions:\n    groupResource: configmaps\n    namespaces: [" + ns
            + "]\n  mergePatches:\n  - patchData: '{\"data\":{\"mode\":\"modified\"}}'\n"));
    ItemRestored result = restore("mod-1", "configmaps", ns, configMap(ns, "settings", "backed-up"),
        spec("{\"backupName\":\"nightly\"}"), modifiers);
    assertEquals(ItemAction.CREATED, result.action(), result.toString());
    assertEquals("modified", kube.configMaps().inNamespace(ns).withName("settings").get().getData().get("mode"));
  }

  @Test
  void aCrdIsEstablishedBeforeItsCustomResourcesAreRestored() {
    String ns = namespace();
    String group = "g" + UUID.randomUUID().toString().substring(0, 6) + ".example.rebound.dev";
    ObjectNode crd = json("{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\","
        + "\"metadata\":{\"name\":\"gadgets." + group + "\"},\"spec\":{\"group\":\"" + group + "\",\"scope\":"
        + "\"Namespaced\",\"names\":{\"plural\":\"gadgets\",\"singular\":\"gadget\",\"kind\":\"Gadget\"},"
        + "\"versions\":[{\"name\":\"v1\",\"served\":true,\"storage\":true,\"schema\":{\"openAPIV3Schema\":{"
        + "\"type\":\"object\",\"x-kubernetes-preserve-unknown-fields\":true}}}]},"
        + "\"status\":{\"conditions\":[{\"type\":\"Established\",\"status\":\"True\"}]}}");
    ItemRestored created = restore("crd-1", "customresourcedefinitions.apiextensions.k8s.io", null, crd);
    assertEquals(ItemAction.CREATED, created.action(), created.toString());
    assertTrue(created.log().contains("CRD gadgets." + group + " is ready to use"), created.log().toString());
    ObjectNode gadget = json("{\"apiVersion\":\"" + group + "/v1\",\"kind\":\"Gadget\",\"metadata\":{\"name\":\"g1\","
        + "\"namespace\":\"" + ns + "\"},\"spec\":{\"size\":3}}");
    ItemRestored cr = restore("crd-1", "gadgets." + group, ns, gadget);
    assertEquals(ItemAction.CREATED, cr.action(), cr.toString());
  }

  @Test
  void aCompletedPodIsNeitherRestoredNorRecorded() {
    String ns = namespace();
    ObjectNode pod = json("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"done\",\"namespace\":\""
        + ns + "\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]},\"status\":{\"phase\":"
        + "\"Succeeded\"}}");
    ItemRestored result = restore("pod-1", "pods", ns, pod);
    assertEquals(null, result.action());
    assertEquals(null, kube.pods().inNamespace(ns).withName("done").get());
  }

  // ---- PersistentVolumes and their claims (reference 3.7, 3.6 step 9)

  @Test
  void aReProvisionedVolumeIsNotCreatedAndItsClaimLosesTheVolumeName() {
    String ns = namespace();
    String name = "pv-" + UUID.randomUUID().toString().substring(0, 8);
    ItemRestored pv = restore("pv-3", "persistentvolumes", null, TestItems.backedUpPv(name, ns, "Delete"),
        spec("{\"backupName\":\"nightly\"}"), null, VolumeHint.persistentVolume(PersistentVolumeAction.PROVISION));
    assertEquals(ItemAction.SKIPPED, pv.action(), pv.toString());
    assertEquals(null, kube.persistentVolumes().withName(name).get());
    ItemRestored claim = restore("pv-3", "persistentvolumeclaims", ns, TestItems.boundClaim(ns, name, "none-" + name),
        spec("{\"backupName\":\"nightly\"}"), null, VolumeHint.claim(true, null));
    assertEquals(ItemAction.CREATED, claim.action(), claim.toString());
    assertEquals(Map.of(ns, List.of("the data of persistent volume claim data was not restored: its volume " + name
        + " is re-provisioned empty by the cluster")), claim.warnings().namespaces(), claim.toString());
    var pvc = kube.persistentVolumeClaims().inNamespace(ns).withName("data").get();
    assertEquals(null, pvc.getSpec().getVolumeName());
    assertEquals(null, pvc.getMetadata().getAnnotations() == null ? null
        : pvc.getMetadata().getAnnotations().get("pv.kubernetes.io/bind-completed"));
  }

  @Test
  void aClaimWhoseVolumeAFileSystemBackupRefillsGetsNoWarning() {
    String ns = namespace();
    String name = "pv-" + UUID.randomUUID().toString().substring(0, 8);
    ItemRestored pv = restore("pv-5", "persistentvolumes", null, TestItems.backedUpPv(name, ns, "Retain"),
        spec("{\"backupName\":\"nightly\"}"), null,
        VolumeHint.persistentVolume(PersistentVolumeAction.PROVISION_FOR_POD_VOLUME));
    assertEquals(ItemAction.SKIPPED, pv.action(), pv.toString());
    ItemRestored claim = restore("pv-5", "persistentvolumeclaims", ns, TestItems.boundClaim(ns, name, "none-" + name),
        spec("{\"backupName\":\"nightly\"}"), null,
        VolumeHint.claim(PersistentVolumeAction.PROVISION_FOR_POD_VOLUME, null));
    assertEquals(ItemAction.CREATED, claim.action(), claim.toString());
    assertEquals(Map.of(), claim.warnings().namespaces(), claim.toString());
    assertEquals(null, kube.persistentVolumeClaims().inNamespace(ns).withName("data").get().getSpec().getVolumeName());
  }

  @Test
  void aVolumeWithoutDataAndRetainIsRestoredAsIsWithItsClaimRemapped() {
    String source = "src-" + UUID.randomUUID().toString().substring(0, 6);
    String target = namespace();
    String name = "pv-" + UUID.randomUUID().toString().substring(0, 8);
    ItemRestored pv = restore("pv-4", "persistentvolumes", null, TestItems.backedUpPv(name, source, "Retain"),
        spec("{\"backupName\":\"nightly\",\"namespaceMapping\":{\"" + source + "\":\"" + target + "\"}}"), null,
        VolumeHint.persistentVolume(PersistentVolumeAction.AS_IS));
    assertEquals(ItemAction.CREATED, pv.action(), pv.toString());
    var created = kube.persistentVolumes().withName(name).get();
    assertEquals(target, created.getSpec().getClaimRef().getNamespace());
    assertEquals(null, created.getSpec().getClaimRef().getUid());
  }

  // ---- steps 5 and 18

  @Test
  void aMirrorPodIsRecordedSkippedAndNotCreated() {
    String ns = namespace();
    ObjectNode pod = json("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"etcd-node\","
        + "\"namespace\":\"" + ns + "\",\"annotations\":{\"kubernetes.io/config.mirror\":\"3c1f\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"etcd\",\"image\":\"etcd\"}]},\"status\":{\"phase\":\"Running\"}}");
    ItemRestored result = restore("mirror-1", "pods", ns, pod);
    assertEquals(ItemAction.SKIPPED, result.action(), result.toString());
    assertTrue(result.log().contains("Not restoring pod because it's a mirror pod"), result.log().toString());
    assertEquals(null, kube.pods().inNamespace(ns).withName("etcd-node").get());
  }

  @Test
  void theBackedUpManagedFieldsAreRestored() {
    String ns = namespace();
    ObjectNode cm = configMap(ns, "owned", "x");
    ((ObjectNode) cm.get("metadata")).set("managedFields", json("{\"a\":[{\"manager\":\"helm\",\"operation\":"
        + "\"Update\",\"apiVersion\":\"v1\",\"time\":\"2026-01-02T03:04:05Z\",\"fieldsType\":\"FieldsV1\","
        + "\"fieldsV1\":{\"f:data\":{\".\":{},\"f:mode\":{}}}}]}").get("a"));
    ItemRestored result = restore("mf-1", "configmaps", ns, cm);
    assertEquals(ItemAction.CREATED, result.action(), result.toString());
    List<String> managers = kube.configMaps().inNamespace(ns).withName("owned").get().getMetadata().getManagedFields()
        .stream().map(f -> f.getManager()).toList();
    assertTrue(managers.contains("helm"), managers.toString());
  }

  // ---- API versions (reference 3.9)

  @Test
  void aVersionTheTargetDoesNotServeFailsTheItemClearly() {
    String ns = namespace();
    // A PodDisruptionBudget and a CronJob backed up from a newer cluster; Kubernetes 1.20 serves
    // neither policy/v1 nor batch/v1 CronJobs.
    ObjectNode pdb = json("{\"apiVersion\":\"policy/v1\",\"kind\":\"PodDisruptionBudget\",\"metadata\":{\"name\":"
        + "\"web\",\"namespace\":\"" + ns + "\"},\"spec\":{\"minAvailable\":1,\"selector\":{\"matchLabels\":"
        + "{\"app\":\"web\"}}}}");
    ItemRestored result = restore("ver-1", "poddisruptionbudgets.policy", ns, pdb);
    assertEquals(ItemAction.FAILED, result.action());
    assertEquals(List.of("error restoring poddisruptionbudgets.policy/" + ns + "/web: the server could not find the "
        + "requested resource (the target cluster does not serve poddisruptionbudgets in policy/v1)"),
        messages(result.errors()));
    ObjectNode cronJob = json("{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\",\"metadata\":{\"name\":"
        + "\"nightly\",\"namespace\":\"" + ns + "\"},\"spec\":{\"schedule\":\"0 1 * * *\",\"jobTemplate\":"
        + "{\"spec\":{\"template\":{\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"c\","
        + "\"image\":\"busybox\"}]}}}}}}");
    ItemRestored cron = restore("ver-1", "cronjobs.batch", ns, cronJob);
    assertEquals(ItemAction.FAILED, cron.action());
    assertTrue(messages(cron.errors()).get(0).endsWith("(the target cluster does not serve cronjobs in batch/v1)"),
        cron.toString());
    // The version the target does serve is restored.
    pdb.put("apiVersion", "policy/v1beta1");
    assertEquals(ItemAction.CREATED, restore("ver-1", "poddisruptionbudgets.policy", ns, pdb).action());
  }

  // ---- status restore (3.6 step 17)

  @Test
  void statusIsRestoredWhenTheSpecOrTheObjectAsksForIt() {
    String ns = namespace();
    String group = "s" + UUID.randomUUID().toString().substring(0, 6) + ".example.rebound.dev";
    ObjectNode crd = json("{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\","
        + "\"metadata\":{\"name\":\"probes." + group + "\"},\"spec\":{\"group\":\"" + group + "\",\"scope\":"
        + "\"Namespaced\",\"names\":{\"plural\":\"probes\",\"singular\":\"probe\",\"kind\":\"Probe\"},"
        + "\"versions\":[{\"name\":\"v1\",\"served\":true,\"storage\":true,\"subresources\":{\"status\":{}},"
        + "\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\",\"x-kubernetes-preserve-unknown-fields\":true}}}]}}");
    assertEquals(ItemAction.CREATED, restore("st-0", "customresourcedefinitions.apiextensions.k8s.io", null, crd).action());
    String gr = "probes." + group;
    java.util.function.BiFunction<String, String, ObjectNode> probe = (name, annotation) -> json("{\"apiVersion\":\""
        + group + "/v1\",\"kind\":\"Probe\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns + "\""
        + (annotation == null ? "" : ",\"annotations\":{\"velero.io/restore-status\":\"" + annotation + "\"}")
        + "},\"spec\":{\"target\":\"web\"},\"status\":{\"healthy\":true,\"checks\":3}}");
    RestoreSpec selected = spec("{\"backupName\":\"nightly\",\"restoreStatus\":{\"includedResources\":[\"" + gr
        + "\"]}}");
    RestoreSpec none = spec("{\"backupName\":\"nightly\"}");

    assertEquals(ItemAction.CREATED, restore("st-1", gr, ns, probe.apply("selected", null), selected, null).action());
    assertEquals(ItemAction.CREATED, restore("st-1", gr, ns, probe.apply("plain", null), none, null).action());
    assertEquals(ItemAction.CREATED, restore("st-1", gr, ns, probe.apply("asked", " TRUE "), none, null).action());
    assertEquals(ItemAction.CREATED, restore("st-1", gr, ns, probe.apply("refused", "false"), selected, null).action());
    var probes = kube.genericKubernetesResources(group + "/v1", "Probe").inNamespace(ns);
    assertEquals(3, ((Map<?, ?>) probes.withName("selected").get().getAdditionalProperties().get("status")).get("checks"));
    assertEquals(null, probes.withName("plain").get().getAdditionalProperties().get("status"));
    assertEquals(true, ((Map<?, ?>) probes.withName("asked").get().getAdditionalProperties().get("status")).get("healthy"));
    assertEquals(null, probes.withName("refused").get().getAdditionalProperties().get("status"));
  }
}
