package dev.rebound.itemrestorer.restore;

import static dev.rebound.itemrestorer.restore.TestItems.backedUpPv;
import static dev.rebound.itemrestorer.restore.TestItems.boundClaim;
import static dev.rebound.itemrestorer.restore.TestItems.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.snapshots.SnapshotterException;
import dev.rebound.itemrestorer.snapshots.VolumeSnapshotter;
import dev.rebound.itemrestorer.snapshots.VolumeSnapshotters;
import dev.rebound.itemrestorer.snapshots.aws.Ec2Endpoint;
import dev.rebound.model.Json;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.NativeSnapshot;
import dev.rebound.model.pipeline.RestoreEvent.ItemRestored;
import dev.rebound.model.pipeline.VolumeHint;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.support.kube.TargetClusters;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.KubeServerResource;
import dev.rebound.testsupport.VendoredCrds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reference 3.7 and 6.1 against the real kube-apiserver with Velero's VolumeSnapshotLocation CRD:
 * a PersistentVolume backed by a native snapshot is created only pointing at the volume a
 * snapshotter made from the snapshot, and otherwise fails with Velero's error and is not created.
 *
 * <p>The snapshotter here is a test provider behind Velero's plugin contract (a cloud cannot run
 * here): it records its calls and names volumes after their snapshots.
 */
@QuarkusTest
@WithTestResource(KafkaServerResource.class)
@WithTestResource(value = KubeServerResource.class,
    initArgs = @ResourceArg(name = "prefix", value = "rebound.item-restorer"))
class NativeSnapshotIT {

  static final String PROVIDER = "test.rebound.dev/volumes";
  private static final String VELERO = "velero";
  private static final ResourceDefinitionContext VSL = new ResourceDefinitionContext.Builder()
      .withGroup("velero.io").withVersion("v1").withPlural("volumesnapshotlocations").withKind("VolumeSnapshotLocation")
      .withNamespaced(true).build();

  /** Every call the test provider received, as text. */
  static final List<String> calls = Collections.synchronizedList(new ArrayList<>());

  /** Velero's contract, for a provider whose volume IDs are {@code vol-<snapshot>} and whose PVs are hostPath. */
  static final class RecordingSnapshotter implements VolumeSnapshotter {
    private Map<String, String> config;

    @Override
    public void init(Map<String, String> config) {
      this.config = Map.copyOf(config);
      calls.add("init " + new java.util.TreeMap<>(config));
    }

    @Override
    public String createVolumeFromSnapshot(String snapshotId, String volumeType, String volumeAZ, Long iops,
        String requestToken) throws SnapshotterException {
      if (config == null) {
        throw new SnapshotterException("not initialised");
      }
      calls.add("create " + snapshotId + " " + volumeType + " " + volumeAZ + " " + iops);
      return "vol-" + snapshotId;
    }

    @Override
    public ObjectNode setVolumeId(ObjectNode pv, String volumeId) {
      pv.with("spec").with("hostPath").put("path", "/volumes/" + volumeId);
      return pv;
    }
  }

  @Inject TargetClusters clusters;

  private KubernetesClient kube;
  private ItemRestore restorer;
  private String location;

  @BeforeEach
  void restorer() throws Exception {
    kube = clusters.defaultClient();
    VendoredCrds.install(kube, VendoredCrds.file("velero", "velero.io_volumesnapshotlocations.yaml"));
    if (kube.namespaces().withName(VELERO).get() == null) {
      kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(VELERO).endMetadata().build())
          .create();
    }
    location = "vsl-" + UUID.randomUUID().toString().substring(0, 8);
    calls.clear();
    restorer = restorer(new VolumeSnapshotters(Map.of(PROVIDER, RecordingSnapshotter::new)));
  }

  private ItemRestore restorer(VolumeSnapshotters snapshotters) {
    return TestRestorers.itemRestore(kube, VELERO, snapshotters);
  }


  private void snapshotLocation(String provider, Map<String, Object> extraSpec) {
    Map<String, Object> spec = new java.util.LinkedHashMap<>(Map.of("provider", provider,
        "config", Map.of("region", "eu-west-1")));
    spec.putAll(extraSpec);
    GenericKubernetesResource vsl = new GenericKubernetesResource();
    vsl.setApiVersion("velero.io/v1");
    vsl.setKind("VolumeSnapshotLocation");
    vsl.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(location).withNamespace(VELERO)
        .build());
    vsl.setAdditionalProperty("spec", spec);
    kube.genericKubernetesResources(VSL).inNamespace(VELERO).resource(vsl).create();
  }

  private NativeSnapshot snapshot() {
    return new NativeSnapshot(location, "snap-0a1b", "gp3", "eu-west-1a", 3000L, "Completed");
  }


  private ItemRestored restore(String restore, String groupResource, String namespace, ObjectNode object,
      RestoreSpec spec, VolumeHint volume) {
    return restorer.restore(TestRestorers.task(restore, groupResource, namespace, object, spec, null, volume));
  }

  private String namespace() {
    String ns = "ns-" + UUID.randomUUID().toString().substring(0, 8);
    kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    return ns;
  }

  private static String pvName() {
    return "pv-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void theVolumeIsCreatedFromItsSnapshotOnceAndThePvPointsAtIt() {
    snapshotLocation(PROVIDER, Map.of());
    String name = pvName();
    String source = "src-" + UUID.randomUUID().toString().substring(0, 6);
    RestoreSpec mapped = spec("{\"backupName\":\"nightly\",\"namespaceMapping\":{\"" + source + "\":\"elsewhere\"}}");
    ItemRestored pv = restore("snap-1", "persistentvolumes", null, backedUpPv(name, source, "Delete"), mapped,
        VolumeHint.snapshot(snapshot()));
    assertEquals(ItemAction.CREATED, pv.action(), pv.toString());
    assertNull(pv.createdAs());
    assertTrue(pv.log().contains("Restoring persistent volume from snapshot."), pv.log().toString());
    assertEquals(List.of("init {region=eu-west-1}", "create snap-0a1b gp3 eu-west-1a 3000"), calls);
    var created = kube.persistentVolumes().withName(name).get();
    assertEquals("/volumes/vol-snap-0a1b", created.getSpec().getHostPath().getPath());
    assertEquals("elsewhere", created.getSpec().getClaimRef().getNamespace());
    assertNull(created.getSpec().getClaimRef().getUid());

    // Delivered again: the PV of that name is this restore's own, so no second volume is made.
    ItemRestored again = restore("snap-1", "persistentvolumes", null, backedUpPv(name, source, "Delete"), mapped,
        VolumeHint.snapshot(snapshot()));
    assertEquals(ItemAction.CREATED, again.action(), again.toString());
    assertEquals(2, calls.size(), calls.toString());
  }

  @Test
  void aVolumeWhoseNameIsTakenIsRenamedWhenItsNamespaceIsMappedAndItsClaimFollows() {
    snapshotLocation(PROVIDER, Map.of());
    String source = "shop-" + UUID.randomUUID().toString().substring(0, 6);
    String target = namespace();
    String name = pvName();
    RestoreSpec mapped = spec("{\"backupName\":\"nightly\",\"namespaceMapping\":{\"" + source + "\":\"" + target
        + "\"}}");
    // The source cluster's own volume is still there (a restore into the same cluster).
    ObjectNode live = backedUpPv(name, source, "Retain");
    ((ObjectNode) live.get("metadata")).remove("uid");
    live.remove("status");
    ((ObjectNode) live.get("spec")).remove("claimRef");
    ((ObjectNode) live.get("spec")).put("storageClassName", "live-" + name); // binds no other test's claim
    kube.persistentVolumes().resource(Json.mapper().convertValue(live, io.fabric8.kubernetes.api.model.PersistentVolume.class))
        .create();

    ItemRestored pv = restore("snap-2", "persistentvolumes", null, backedUpPv(name, source, "Retain"), mapped,
        VolumeHint.snapshot(snapshot()));
    assertEquals(ItemAction.CREATED, pv.action(), pv.toString());
    String clone = pv.createdAs();
    assertTrue(clone != null && clone.startsWith("velero-clone-"), pv.toString());
    var created = kube.persistentVolumes().withName(clone).get();
    assertEquals(name, created.getMetadata().getAnnotations().get("velero.io/original-pv-name"));
    assertEquals("/volumes/vol-snap-0a1b", created.getSpec().getHostPath().getPath());
    assertEquals("/tmp/" + name, kube.persistentVolumes().withName(name).get().getSpec().getHostPath().getPath(),
        "the live volume is untouched");
    assertEquals(target, created.getSpec().getClaimRef().getNamespace());
    assertEquals(null, created.getMetadata().getAnnotations().get("pv.kubernetes.io/bound-by-controller"));

    // Delivered again, the same clone is found (ours): neither a second clone nor a second volume.
    ItemRestored again = restore("snap-2", "persistentvolumes", null, backedUpPv(name, source, "Retain"), mapped,
        VolumeHint.snapshot(snapshot()));
    assertEquals(ItemAction.CREATED, again.action(), again.toString());
    assertEquals(clone, again.createdAs());
    assertEquals(2, calls.size(), calls.toString());

    ItemRestored claim = restore("snap-2", "persistentvolumeclaims", target, boundClaim(source, name), mapped,
        VolumeHint.claim(false, clone));
    assertEquals(ItemAction.CREATED, claim.action(), claim.toString());
    assertEquals(clone, kube.persistentVolumeClaims().inNamespace(target).withName("data").get().getSpec()
        .getVolumeName());
  }

  @Test
  void withoutItsSnapshotLocationThePvFailsWithVelerosErrorAndIsNotCreated() {
    String name = pvName();
    ItemRestored pv = restore("snap-3", "persistentvolumes", null, backedUpPv(name, "src", "Delete"),
        spec("{\"backupName\":\"nightly\"}"), VolumeHint.snapshot(snapshot()));
    assertEquals(ItemAction.FAILED, pv.action(), pv.toString());
    assertEquals(List.of("error executing PVAction for persistentvolumes/" + name + ": volumesnapshotlocations.velero.io \""
        + location + "\" not found"), pv.errors().cluster(), pv.toString());
    assertNull(kube.persistentVolumes().withName(name).get());
    assertEquals(List.of(), calls);
  }

  @Test
  void aProviderWithoutASnapshotterFailsWithVelerosErrorAndIsNotCreated() {
    snapshotLocation("gcp", Map.of());
    String name = pvName();
    ItemRestored pv = restore("snap-4", "persistentvolumes", null, backedUpPv(name, "src", "Delete"),
        spec("{\"backupName\":\"nightly\"}"), VolumeHint.snapshot(snapshot()));
    assertEquals(List.of("error executing PVAction for persistentvolumes/" + name
        + ": unable to get valid VolumeSnapshotter for \"velero.io/gcp\""), pv.errors().cluster(), pv.toString());
    assertNull(kube.persistentVolumes().withName(name).get());
  }

  @Test
  void aSnapshotMissingFromTheBackupsSnapshotFileFailsInsteadOfPointingAtTheSourceVolume() {
    snapshotLocation(PROVIDER, Map.of());
    String name = pvName();
    ItemRestored pv = restore("snap-5", "persistentvolumes", null, backedUpPv(name, "src", "Delete"),
        spec("{\"backupName\":\"nightly\"}"), VolumeHint.snapshot(null));
    assertEquals(ItemAction.FAILED, pv.action(), pv.toString());
    assertTrue(pv.errors().cluster().get(0).startsWith("error executing PVAction for persistentvolumes/" + name
        + ": the backup records a native snapshot for persistent volume " + name), pv.toString());
    assertNull(kube.persistentVolumes().withName(name).get());

    ItemRestored failed = restore("snap-5", "persistentvolumes", null, backedUpPv(name, "src", "Delete"),
        spec("{\"backupName\":\"nightly\"}"),
        VolumeHint.snapshot(new NativeSnapshot(location, null, "gp3", null, null, "Failed")));
    assertEquals(List.of("error executing PVAction for persistentvolumes/" + name + ": the backup recorded no "
        + "provider snapshot ID for persistent volume " + name + " (snapshot phase Failed)"), failed.errors().cluster());
    assertNull(kube.persistentVolumes().withName(name).get());
  }

  @Test
  void theLocationsCredentialReachesTheSnapshotterAsAFileAndAMissingKeyIsVelerosError() throws Exception {
    String secret = "cloud-" + UUID.randomUUID().toString().substring(0, 6);
    kube.secrets().inNamespace(VELERO).resource(new SecretBuilder().withNewMetadata().withName(secret).endMetadata()
        .withStringData(Map.of("cloud", "[default]\naws_access_key_id=AKIA\n")).build()).create();
    snapshotLocation(PROVIDER, Map.of("credential", Map.of("name", secret, "key", "cloud")));
    String name = pvName();
    ItemRestored pv = restore("snap-6", "persistentvolumes", null, backedUpPv(name, "src", "Delete"),
        spec("{\"backupName\":\"nightly\"}"), VolumeHint.snapshot(snapshot()));
    assertEquals(ItemAction.CREATED, pv.action(), pv.toString());
    String init = calls.get(0);
    String file = init.replaceAll(".*credentialsFile=([^,}]+).*", "$1");
    assertEquals("[default]\naws_access_key_id=AKIA\n", Files.readString(Path.of(file)));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(file))));

    location = "vsl-" + UUID.randomUUID().toString().substring(0, 8);
    snapshotLocation(PROVIDER, Map.of("credential", Map.of("name", secret, "key", "azure")));
    String other = pvName();
    ItemRestored missing = restore("snap-6", "persistentvolumes", null, backedUpPv(other, "src", "Delete"),
        spec("{\"backupName\":\"nightly\"}"), VolumeHint.snapshot(snapshot()));
    assertEquals(List.of("error executing PVAction for persistentvolumes/" + other + ": unable to get credentials: "
        + "unable to get key for secret: \"" + secret + "\" secret is missing data for key \"azure\""),
        missing.errors().cluster());
    assertNull(kube.persistentVolumes().withName(other).get());
  }

  @Test
  void withRestorePvsFalseThePvIsCreatedUnchangedAsVeleroDoesWithAWarning() {
    String name = pvName();
    ItemRestored pv = restore("snap-7", "persistentvolumes", null, backedUpPv(name, "src", "Delete"),
        spec("{\"backupName\":\"nightly\",\"restorePVs\":false}"), VolumeHint.snapshot(snapshot()));
    assertEquals(ItemAction.CREATED, pv.action(), pv.toString());
    assertEquals(List.of("persistent volume " + name + " is restored pointing at its backed-up volume: restorePVs "
        + "is false, so its snapshot was not restored"), pv.warnings().cluster());
    assertEquals("/tmp/" + name, kube.persistentVolumes().withName(name).get().getSpec().getHostPath().getPath());
    assertEquals(List.of(), calls);
  }

  /**
   * The built-in AWS snapshotter, end to end through the item-restorer: the location's credential
   * signs the EC2 calls, the endpoint comes from the SDK's standard override, the new EBS volume is
   * what the PV points at; an item redelivered after its PV vanished (a crash between the volume
   * and the PV) gets the same volume back through the create's idempotency token.
   */
  @Test
  void anEbsSnapshotBecomesANewEbsVolumeThatThePvPointsAtAndARedeliveryMakesNoSecondVolume() throws Exception {
    String key = "AKIAREBOUNDNATIVE001";
    try (Ec2Endpoint ec2 = new Ec2Endpoint(key, "eu-west-1")) {
      ec2.snapshot("snap-0a1b", false, Map.of("Name", "orders"));
      System.setProperty("aws.endpointUrlEc2", ec2.uri().toString());
      try {
        String secret = "aws-" + location;
        kube.secrets().inNamespace(VELERO).resource(new SecretBuilder().withNewMetadata().withName(secret)
            .endMetadata().withStringData(Map.of("cloud", "[default]\naws_access_key_id = " + key
                + "\naws_secret_access_key = dGVzdA\n")).build()).create();
        snapshotLocation("aws", Map.of("credential", Map.of("name", secret, "key", "cloud")));
        restorer = restorer(VolumeSnapshotters.builtIn());
        String name = pvName();
        ObjectNode backedUp = backedUpPv(name, "src", "Delete");
        ObjectNode spec = (ObjectNode) backedUp.get("spec");
        spec.remove("hostPath");
        spec.putObject("awsElasticBlockStore").put("volumeID", "aws://eu-west-1a/vol-0source").put("fsType", "ext4");
        ((ObjectNode) backedUp.get("metadata")).putObject("labels")
            .put("failure-domain.beta.kubernetes.io/zone", "eu-west-1a");
        NativeSnapshot snapshot = new NativeSnapshot(location, "snap-0a1b", "gp2", "eu-west-1a", null, "Completed");
        RestoreSpec nightly = spec("{\"backupName\":\"nightly\"}");

        ItemRestored pv = restore("snap-7", "persistentvolumes", null, backedUp.deepCopy(), nightly, VolumeHint.snapshot(snapshot));
        assertEquals(ItemAction.CREATED, pv.action(), pv.toString());
        assertEquals(List.of("DescribeSnapshots", "CreateVolume", "DescribeVolumes", "DescribeVolumes"), ec2.actions());
        assertEquals(dev.rebound.model.Hashes.sha256Hex("uid-snap-7/" + name),
            ec2.requests.get(1).params().get("ClientToken"));
        String volumeId = ec2.requests.get(2).params().get("VolumeId.1");
        assertEquals("aws://eu-west-1a/" + volumeId,
            kube.persistentVolumes().withName(name).get().getSpec().getAwsElasticBlockStore().getVolumeID());
        assertEquals(dev.rebound.model.pipeline.RestoreEvent.RestoredVolume.nativeSnapshot(name, "data", "src",
            "snap-0a1b", "gp2", "eu-west-1a", null), pv.restoredVolume(), "reference 6.6: Velero's TrackNativeSnapshot");

        kube.persistentVolumes().withName(name).withGracePeriod(0).delete();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
            .until(() -> kube.persistentVolumes().withName(name).get() == null);
        ItemRestored again = restore("snap-7", "persistentvolumes", null, backedUp.deepCopy(), nightly,
            VolumeHint.snapshot(snapshot));
        assertEquals(ItemAction.CREATED, again.action(), again.toString());
        assertEquals(1, ec2.volumeCount());
        assertEquals("aws://eu-west-1a/" + volumeId,
            kube.persistentVolumes().withName(name).get().getSpec().getAwsElasticBlockStore().getVolumeID());
      } finally {
        System.clearProperty("aws.endpointUrlEc2");
      }
    }
  }

}
