package dev.rebound.itemrestorer.actions;

import static dev.rebound.itemrestorer.actions.ActionFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.actions.ActionOutput.AdditionalItem;
import dev.rebound.model.Hashes;
import dev.rebound.model.velero.RestoreSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reference 6.3: Velero's CSI restore item actions ({@code pkg/restore/actions/csi}), shape by
 * shape. The objects are those of a Velero CSI backup of a claim {@code shop/data} snapshotted by
 * the AWS EBS CSI driver.
 */
class CsiActionsTest {

  private static final String UID = "6b7f1c2e-1d1e-4a4f-9a53-0c6f6c0b2a11";
  private static final String RESTORED = Hashes.sha256Hex(UID + "/velero-data-7xk2p");

  /** The target cluster as these actions see it: claims that exist and the VolumeSnapshotClasses. */
  private static final class Cluster extends ActionFixtures.Unread {
    final List<String> claims;
    final Map<String, String> classesByDriver;
    final List<String> asked = new ArrayList<>();

    Cluster(List<String> claims, Map<String, String> classesByDriver) {
      this.claims = claims;
      this.classesByDriver = classesByDriver;
    }

    @Override
    public boolean claimExists(String namespace, String name) {
      asked.add(namespace + "/" + name);
      return claims.contains(namespace + "/" + name);
    }

    @Override
    public Optional<String> volumeSnapshotClassFor(String driver) {
      asked.add(driver);
      return Optional.ofNullable(classesByDriver.get(driver));
    }
  }

  private static ActionInput input(ObjectNode item, Cluster cluster, String spec) throws Exception {
    RestoreSpec restoreSpec = dev.rebound.model.Json.mapper().readValue(spec.replace('\'', '"'), RestoreSpec.class);
    return new ActionInput(item.deepCopy(), item, new ActionInput.RestoreInfo("r", UID, restoreSpec), cluster);
  }

  private static ObjectNode claim() throws Exception {
    return (ObjectNode) json("{'apiVersion':'v1','kind':'PersistentVolumeClaim','metadata':{'name':'data',"
        + "'namespace':'shop','annotations':{'velero.io/volume-snapshot-name':'velero-data-7xk2p'}},"
        + "'spec':{'accessModes':['ReadWriteOnce'],'storageClassName':'gp3','volumeName':'pvc-0c1d',"
        + "'dataSourceRef':{'kind':'PersistentVolumeClaim','name':'seed'},"
        + "'resources':{'requests':{'storage':'8Gi'}}}}");
  }

  private static ObjectNode snapshot() throws Exception {
    return (ObjectNode) json("{'apiVersion':'snapshot.storage.k8s.io/v1','kind':'VolumeSnapshot','metadata':"
        + "{'name':'velero-data-7xk2p','namespace':'shop','labels':{'velero.io/backup-name':'nightly'},"
        + "'annotations':{'velero.io/csi-volumesnapshot-class':'ebs'}},'spec':{'source':"
        + "{'persistentVolumeClaimName':'data'},'volumeSnapshotClassName':'ebs-snapclass'},"
        + "'status':{'boundVolumeSnapshotContentName':'snapcontent-4b6d','readyToUse':true,'restoreSize':'8Gi'}}");
  }

  private static ObjectNode content() throws Exception {
    return (ObjectNode) json("{'apiVersion':'snapshot.storage.k8s.io/v1','kind':'VolumeSnapshotContent','metadata':"
        + "{'name':'snapcontent-4b6d','annotations':{'csi.storage.k8s.io/snapshotter-secret-name':'ebs-secret',"
        + "'csi.storage.k8s.io/snapshotter-secret-namespace':'kube-system'}},'spec':{'deletionPolicy':'Delete',"
        + "'driver':'ebs.csi.aws.com','source':{'volumeHandle':'vol-0abc'},'volumeSnapshotClassName':'ebs-snapclass',"
        + "'volumeSnapshotRef':{'apiVersion':'snapshot.storage.k8s.io/v1','kind':'VolumeSnapshot',"
        + "'name':'velero-data-7xk2p','namespace':'shop','resourceVersion':'5512','uid':'e1f2'}},"
        + "'status':{'snapshotHandle':'snap-0fedcba9876543210','readyToUse':true,'restoreSize':8589934592}}");
  }

  @Test
  void aClaimWithACsiSnapshotIsProvisionedFromTheRestoredSnapshot() throws Exception {
    Cluster cluster = new Cluster(List.of(), Map.of());
    ActionOutput out = new CsiPvcAction().execute(input(claim(), cluster,
        "{'backupName':'nightly','namespaceMapping':{'shop':'shop-dr'}}"));
    assertEquals(json("{'accessModes':['ReadWriteOnce'],'storageClassName':'gp3','resources':{'requests':"
        + "{'storage':'8Gi'}},'dataSource':{'apiGroup':'snapshot.storage.k8s.io','kind':'VolumeSnapshot','name':'"
        + RESTORED + "'}}"), out.item().get("spec"));
    assertEquals(List.of(new AdditionalItem("volumesnapshots.snapshot.storage.k8s.io", "shop", "velero-data-7xk2p")),
        out.additionalItems());
    assertEquals(List.of("shop-dr/data"), cluster.asked, "the claim is looked up in the target namespace");
  }

  @Test
  void withRestorePVsFalseTheClaimGetsANewEmptyVolume() throws Exception {
    ObjectNode claim = claim();
    claim.with("spec").putObject("dataSource").put("kind", "VolumeSnapshot").put("name", "x");
    ActionOutput out = new CsiPvcAction().execute(input(claim, new Cluster(List.of(), Map.of()),
        "{'backupName':'nightly','restorePVs':false}"));
    assertEquals(json("{'accessModes':['ReadWriteOnce'],'storageClassName':'gp3','resources':{'requests':"
        + "{'storage':'8Gi'}}}"), out.item().get("spec"));
    assertEquals(List.of(), out.additionalItems());
  }

  @Test
  void aClaimThatExistsWithoutASnapshotOrWithMovedDataIsLeftAsItIs() throws Exception {
    ObjectNode claim = claim();
    assertEquals(claim, new CsiPvcAction().execute(input(claim, new Cluster(List.of("shop/data"), Map.of()),
        "{'backupName':'nightly'}")).item());
    ObjectNode plain = claim();
    ((ObjectNode) plain.get("metadata")).remove("annotations");
    assertEquals(plain, new CsiPvcAction().execute(input(plain, new Cluster(List.of(), Map.of()),
        "{'backupName':'nightly'}")).item());
    ObjectNode moved = claim();
    moved.with("metadata").with("annotations").put("velero.io/data-upload-name", "nightly-abcde");
    ActionOutput out = new CsiPvcAction().execute(input(moved, new Cluster(List.of(), Map.of()),
        "{'backupName':'nightly'}"));
    assertEquals(moved, out.item());
    assertEquals(List.of(), out.additionalItems());
  }

  @Test
  void aSnapshotIsRenamedForTheRestoreAndBoundToItsRestoredContent() throws Exception {
    ActionOutput out = new CsiVolumeSnapshotAction().execute(input(snapshot(), new Cluster(List.of(), Map.of()),
        "{'backupName':'nightly'}"));
    ObjectNode vs = out.item();
    assertEquals(RESTORED, vs.path("metadata").path("name").asText());
    assertEquals(json("{'velero.io/csi-volumesnapshot-class':'ebs','velero.io/csi-vsc-deletion-policy':'Retain'}"),
        vs.path("metadata").path("annotations"));
    assertEquals(json("{'source':{'volumeSnapshotContentName':'" + RESTORED + "'}}"), vs.get("spec"));
    assertEquals(List.of(new AdditionalItem("volumesnapshotcontents.snapshot.storage.k8s.io", "", "snapcontent-4b6d")),
        out.additionalItems());
    assertFalse(out.skipRestore());
  }

  @Test
  void anUnboundSnapshotFailsWithVelerosErrorAndNothingIsRestoredWithoutVolumes() throws Exception {
    ObjectNode unbound = snapshot();
    unbound.remove("status");
    assertEquals("VS velero-data-7xk2p doesn't have bound VSC", assertThrows(ActionException.class,
        () -> new CsiVolumeSnapshotAction().execute(input(unbound, new Cluster(List.of(), Map.of()),
            "{'backupName':'nightly'}"))).getMessage());
    String noVolumes = "{'backupName':'nightly','restorePVs':false}";
    assertTrue(new CsiVolumeSnapshotAction().execute(input(snapshot(), new Cluster(List.of(), Map.of()), noVolumes))
        .skipRestore());
    assertTrue(new CsiVolumeSnapshotContentAction().execute(input(content(), new Cluster(List.of(), Map.of()),
        noVolumes)).skipRestore());
    assertTrue(new CsiVolumeSnapshotClassAction().execute(input(snapshotClass(), new Cluster(List.of(), Map.of()),
        noVolumes)).skipRestore());
  }

  @Test
  void aContentPointsAtTheBackedUpSnapshotHandleWithRetainAndTheTargetsClassForItsDriver() throws Exception {
    Cluster cluster = new Cluster(List.of(), Map.of("ebs.csi.aws.com", "ebs-retain", "pd.csi.storage.gke.io", "pd"));
    ActionOutput out = new CsiVolumeSnapshotContentAction().execute(input(content(), cluster,
        "{'backupName':'nightly','namespaceMapping':{'shop':'shop-dr'}}"));
    ObjectNode vsc = out.item();
    assertEquals(RESTORED, vsc.path("metadata").path("name").asText());
    assertEquals(json("{'deletionPolicy':'Retain','driver':'ebs.csi.aws.com','source':{'snapshotHandle':"
        + "'snap-0fedcba9876543210'},'volumeSnapshotClassName':'ebs-retain','volumeSnapshotRef':{'apiVersion':"
        + "'snapshot.storage.k8s.io/v1','kind':'VolumeSnapshot','name':'" + RESTORED + "','namespace':'shop-dr'}}"),
        vsc.get("spec"));
    assertEquals(List.of(new AdditionalItem("secrets", "kube-system", "ebs-secret")), out.additionalItems());
    assertEquals(List.of("ebs.csi.aws.com"), cluster.asked);

    ActionOutput classless = new CsiVolumeSnapshotContentAction().execute(input(content(),
        new Cluster(List.of(), Map.of()), "{'backupName':'nightly'}"));
    assertFalse(classless.item().path("spec").has("volumeSnapshotClassName"));
    assertEquals("shop", classless.item().path("spec").path("volumeSnapshotRef").path("namespace").asText());
  }

  @Test
  void aContentWithoutASnapshotHandleFailsWithVelerosErrorNamingItsRestoredName() throws Exception {
    ObjectNode content = content();
    content.remove("status");
    assertEquals("fail to get snapshot handle from VSC " + RESTORED + " status", assertThrows(ActionException.class,
        () -> new CsiVolumeSnapshotContentAction().execute(input(content, new Cluster(List.of(), Map.of()),
            "{'backupName':'nightly'}"))).getMessage());
  }

  private static ObjectNode snapshotClass() throws Exception {
    return (ObjectNode) json("{'apiVersion':'snapshot.storage.k8s.io/v1','kind':'VolumeSnapshotClass','metadata':"
        + "{'name':'ebs-snapclass','annotations':{'csi.storage.k8s.io/snapshotter-list-secret-name':'lister',"
        + "'csi.storage.k8s.io/snapshotter-list-secret-namespace':'kube-system'}},'driver':'ebs.csi.aws.com',"
        + "'deletionPolicy':'Delete'}");
  }

  @Test
  void aSnapshotClassComesAfterItsListerSecret() throws Exception {
    ActionOutput out = new CsiVolumeSnapshotClassAction().execute(input(snapshotClass(),
        new Cluster(List.of(), Map.of()), "{'backupName':'nightly'}"));
    assertEquals(snapshotClass(), out.item());
    assertEquals(List.of(new AdditionalItem("secrets", "kube-system", "lister")), out.additionalItems());
  }
}
