package dev.rebound.itemrestorer.restore;

import static dev.rebound.itemrestorer.restore.TestItems.json;
import static dev.rebound.itemrestorer.restore.TestItems.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.snapshots.VolumeSnapshotters;
import dev.rebound.model.Hashes;
import dev.rebound.model.Json;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.RestoreEvent.ItemRestored;
import dev.rebound.model.pipeline.VolumeHint;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.support.kube.TargetClusters;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.KubeServerResource;
import dev.rebound.testsupport.VendoredCrds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reference 6.3 against the real kube-apiserver with the external-snapshotter's v1 CRDs: a claim
 * backed up with a CSI snapshot comes back as Velero's CSI actions restore it, a pre-provisioned
 * VolumeSnapshotContent for the backed-up snapshot handle, a VolumeSnapshot bound to it, both
 * named for the restore, and the claim provisioned from the snapshot. No CSI driver runs here, so
 * the claim stays Pending; what is checked is every field the API server stored.
 */
@QuarkusTest
@WithTestResource(KafkaServerResource.class)
@WithTestResource(value = KubeServerResource.class,
    initArgs = @ResourceArg(name = "prefix", value = "rebound.item-restorer"))
class CsiSnapshotIT {

  private static final String GROUP = "snapshot.storage.k8s.io";
  private static final ResourceDefinitionContext SNAPSHOTS = context("volumesnapshots", "VolumeSnapshot", true);
  private static final ResourceDefinitionContext CONTENTS =
      context("volumesnapshotcontents", "VolumeSnapshotContent", false);
  private static final ResourceDefinitionContext CLASSES =
      context("volumesnapshotclasses", "VolumeSnapshotClass", false);

  private static ResourceDefinitionContext context(String plural, String kind, boolean namespaced) {
    return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion("v1").withPlural(plural)
        .withKind(kind).withNamespaced(namespaced).build();
  }

  @Inject TargetClusters clusters;

  private KubernetesClient kube;
  private ItemRestore restorer;
  private String source;
  private String target;

  @BeforeEach
  void cluster() {
    kube = clusters.defaultClient();
    VendoredCrds.install(kube, VendoredCrds.file("external-snapshotter", "snapshot.storage.k8s.io_volumesnapshotclasses.yaml"),
        VendoredCrds.file("external-snapshotter", "snapshot.storage.k8s.io_volumesnapshotcontents.yaml"),
        VendoredCrds.file("external-snapshotter", "snapshot.storage.k8s.io_volumesnapshots.yaml"));
    if (kube.genericKubernetesResources(CLASSES).withName("ebs-retain").get() == null) {
      kube.genericKubernetesResources(CLASSES).resource(Json.mapper().convertValue(json(
          "{\"apiVersion\":\"snapshot.storage.k8s.io/v1\",\"kind\":\"VolumeSnapshotClass\",\"metadata\":{\"name\":"
              + "\"ebs-retain\"},\"driver\":\"ebs.csi.aws.com\",\"deletionPolicy\":\"Retain\"}"),
          GenericKubernetesResource.class)).create();
    }
    source = "shop-" + UUID.randomUUID().toString().substring(0, 6);
    target = "dr-" + UUID.randomUUID().toString().substring(0, 6);
    kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(target).endMetadata().build()).create();
    restorer = TestRestorers.itemRestore(kube, "velero", VolumeSnapshotters.builtIn());
  }

  /** The three objects of a Velero CSI backup of {@code <source>/data}, as Velero's backup stores them. */
  private ObjectNode content() {
    return json("{\"apiVersion\":\"snapshot.storage.k8s.io/v1\",\"kind\":\"VolumeSnapshotContent\",\"metadata\":{"
        + "\"name\":\"snapcontent-4b6d-" + source + "\",\"uid\":\"0d9e\",\"resourceVersion\":\"77\",\"labels\":{"
        + "\"velero.io/backup-name\":\"nightly\"}},\"spec\":{\"deletionPolicy\":\"Delete\",\"driver\":\"ebs.csi.aws.com\","
        + "\"source\":{\"volumeHandle\":\"vol-0abc\"},\"volumeSnapshotClassName\":\"ebs-snapclass\","
        + "\"volumeSnapshotRef\":{\"apiVersion\":\"snapshot.storage.k8s.io/v1\",\"kind\":\"VolumeSnapshot\","
        + "\"name\":\"velero-data-7xk2p\",\"namespace\":\"" + source + "\",\"resourceVersion\":\"5512\",\"uid\":\"e1f2\"}},"
        + "\"status\":{\"snapshotHandle\":\"snap-0fedcba9876543210\",\"readyToUse\":true,\"restoreSize\":8589934592}}");
  }

  private ObjectNode snapshot() {
    return json("{\"apiVersion\":\"snapshot.storage.k8s.io/v1\",\"kind\":\"VolumeSnapshot\",\"metadata\":{\"name\":"
        + "\"velero-data-7xk2p\",\"namespace\":\"" + source + "\",\"uid\":\"e1f2\",\"labels\":{\"velero.io/backup-name\":"
        + "\"nightly\"},\"annotations\":{\"velero.io/csi-volumesnapshot-handle\":\"snap-0fedcba9876543210\","
        + "\"velero.io/csi-driver-name\":\"ebs.csi.aws.com\"}},\"spec\":{\"source\":{\"persistentVolumeClaimName\":\"data\"},\"volumeSnapshotClassName\":"
        + "\"ebs-snapclass\"},\"status\":{\"boundVolumeSnapshotContentName\":\"snapcontent-4b6d-" + source + "\","
        + "\"readyToUse\":true,\"restoreSize\":\"8Gi\"}}");
  }

  private ObjectNode claim() {
    return json("{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"data\","
        + "\"namespace\":\"" + source + "\",\"uid\":\"c1\",\"annotations\":{\"velero.io/volume-snapshot-name\":"
        + "\"velero-data-7xk2p\",\"pv.kubernetes.io/bind-completed\":\"yes\"}},\"spec\":{\"accessModes\":"
        + "[\"ReadWriteOnce\"],\"storageClassName\":\"gp3-" + source + "\",\"volumeName\":\"pvc-0c1d\",\"resources\":"
        + "{\"requests\":{\"storage\":\"8Gi\"}}},\"status\":{\"phase\":\"Bound\"}}");
  }

  private ItemRestored restore(String restore, String groupResource, String namespace, ObjectNode object,
      RestoreSpec spec, VolumeHint volume) {
    return restorer.restore(TestRestorers.task(restore, groupResource, namespace, object, spec, null, volume));
  }

  @Test
  void aCsiBackedUpClaimIsProvisionedFromARestoredSnapshotAndContentInVelerosShapes() {
    String restore = "csi-" + UUID.randomUUID().toString().substring(0, 6);
    String name = Hashes.sha256Hex("uid-" + restore + "/velero-data-7xk2p");
    RestoreSpec spec = spec("{\"backupName\":\"nightly\",\"namespaceMapping\":{\"" + source + "\":\"" + target + "\"}}");

    // The order of Velero's priorities (reference 3.4): contents, snapshots, then claims.
    ItemRestored vsc = restore(restore, "volumesnapshotcontents.snapshot.storage.k8s.io", "", content(), spec, null);
    assertEquals(ItemAction.CREATED, vsc.action(), vsc.toString());
    assertEquals(name, vsc.createdAs());
    ItemRestored vs = restore(restore, "volumesnapshots.snapshot.storage.k8s.io", target, snapshot(), spec, null);
    assertEquals(ItemAction.CREATED, vs.action(), vs.toString());
    assertEquals(name, vs.createdAs());
    ItemRestored pvc = restore(restore, "persistentvolumeclaims", target, claim(), spec, VolumeHint.claim(true, null));
    assertEquals(ItemAction.CREATED, pvc.action(), pvc.toString());
    assertTrue(pvc.warnings().isEmpty(), "its data is restored from the snapshot: " + pvc.warnings());
    // Reference 6.6: what Velero's volume info records of it.
    assertEquals(dev.rebound.model.pipeline.RestoreEvent.RestoredVolume.csiSnapshot("data", target,
        "snap-0fedcba9876543210", 0, "ebs.csi.aws.com", name), pvc.restoredVolume());

    JsonNode storedContent = Json.mapper().valueToTree(kube.genericKubernetesResources(CONTENTS).withName(name).get());
    assertEquals(json("{\"deletionPolicy\":\"Retain\",\"driver\":\"ebs.csi.aws.com\",\"source\":{\"snapshotHandle\":"
        + "\"snap-0fedcba9876543210\"},\"volumeSnapshotClassName\":\"ebs-retain\",\"volumeSnapshotRef\":{"
        + "\"apiVersion\":\"snapshot.storage.k8s.io/v1\",\"kind\":\"VolumeSnapshot\",\"name\":\"" + name + "\","
        + "\"namespace\":\"" + target + "\"}}"), storedContent.get("spec"));
    assertEquals(restore, storedContent.path("metadata").path("labels").path("velero.io/restore-name").asText());

    JsonNode storedSnapshot = Json.mapper().valueToTree(kube.genericKubernetesResources(SNAPSHOTS).inNamespace(target)
        .withName(name).get());
    assertEquals(json("{\"source\":{\"volumeSnapshotContentName\":\"" + name + "\"}}"), storedSnapshot.get("spec"));
    assertEquals("Retain", storedSnapshot.path("metadata").path("annotations").path("velero.io/csi-vsc-deletion-policy")
        .asText());

    var storedClaim = kube.persistentVolumeClaims().inNamespace(target).withName("data").get();
    assertEquals(GROUP, storedClaim.getSpec().getDataSource().getApiGroup());
    assertEquals("VolumeSnapshot", storedClaim.getSpec().getDataSource().getKind());
    assertEquals(name, storedClaim.getSpec().getDataSource().getName());
    assertNull(storedClaim.getSpec().getVolumeName());
  }

  @Test
  void withRestorePVsFalseNoSnapshotObjectIsRestoredAndTheClaimGetsAnEmptyVolumeWithAWarning() {
    String restore = "nocsi-" + UUID.randomUUID().toString().substring(0, 6);
    String name = Hashes.sha256Hex("uid-" + restore + "/velero-data-7xk2p");
    RestoreSpec spec = spec("{\"backupName\":\"nightly\",\"restorePVs\":false,\"namespaceMapping\":{\"" + source
        + "\":\"" + target + "\"}}");
    assertEquals(ItemAction.SKIPPED, restore(restore, "volumesnapshotcontents.snapshot.storage.k8s.io", "", content(),
        spec, null).action());
    assertEquals(ItemAction.SKIPPED, restore(restore, "volumesnapshots.snapshot.storage.k8s.io", target, snapshot(),
        spec, null).action());
    ItemRestored pvc = restore(restore, "persistentvolumeclaims", target, claim(), spec, VolumeHint.claim(true, null));
    assertEquals(ItemAction.CREATED, pvc.action(), pvc.toString());
    assertEquals(1, pvc.warnings().namespaces().get(target).size(), pvc.warnings().toString());
    assertNull(kube.genericKubernetesResources(CONTENTS).withName(name).get());
    assertNull(kube.persistentVolumeClaims().inNamespace(target).withName("data").get().getSpec().getDataSource());
  }
}
