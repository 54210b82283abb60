package dev.rebound.itemrestorer.snapshots.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.snapshots.SnapshotterException;
import dev.rebound.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS EBS snapshotter (reference 6.1, velero-plugin-for-aws) against an EC2-compatible endpoint
 * started here: the request sequence and parameters EC2 receives, the plugin's config and errors,
 * and the PV fields it sets. Not proven against real AWS (no account is reachable from our machines).
 */
class EbsVolumeSnapshotterTest {

  private static final String KEY = "AKIAREBOUNDTEST00001";

  @TempDir Path dir;
  private Ec2Endpoint ec2;
  private String credentials;

  @BeforeEach
  void endpoint() throws Exception {
    ec2 = new Ec2Endpoint(KEY, "eu-west-1");
    ec2.snapshot("snap-0a1b2c3d4e5f60001", true, Map.of("Name", "orders-db", "kubernetes.io/cluster/source", "owned",
        "velero.io/backup", "nightly"));
    credentials = Files.writeString(dir.resolve("cloud"), """
        [default]
        aws_access_key_id = AKIAWRONGKEY00000000
        aws_secret_access_key = wrong
        [restores]
        aws_access_key_id = %s
        aws_secret_access_key = c2VjcmV0LWZvci10aGUtdGVzdA
        """.formatted(KEY)).toString();
  }

  @AfterEach
  void stop() {
    ec2.close();
  }

  private EbsVolumeSnapshotter snapshotter(Map<String, String> environment) {
    return new EbsVolumeSnapshotter(b -> b.endpointOverride(ec2.uri()).build(), environment, Duration.ofMillis(10),
        Duration.ofSeconds(5));
  }

  private EbsVolumeSnapshotter initialised(Map<String, String> extra) throws SnapshotterException {
    EbsVolumeSnapshotter snapshotter = snapshotter(Map.of("AWS_CLUSTER_NAME", "target"));
    Map<String, String> config = new java.util.HashMap<>(Map.of("region", "eu-west-1", "profile", "restores",
        "credentialsFile", credentials));
    config.putAll(extra);
    snapshotter.init(config);
    return snapshotter;
  }

  @Test
  void createsTheVolumeInTheSnapshotsZoneWithItsTypeIopsEncryptionAndClusterTagsAndWaitsUntilAvailable()
      throws Exception {
    String volume = initialised(Map.of()).createVolumeFromSnapshot("snap-0a1b2c3d4e5f60001", "io1", "eu-west-1b",
        4000L, "a".repeat(64));

    assertEquals(List.of("DescribeSnapshots", "CreateVolume", "DescribeVolumes", "DescribeVolumes"), ec2.actions());
    assertEquals("snap-0a1b2c3d4e5f60001", ec2.requests.get(0).params().get("SnapshotId.1"));
    Map<String, String> create = ec2.requests.get(1).params();
    assertEquals("snap-0a1b2c3d4e5f60001", create.get("SnapshotId"));
    assertEquals("eu-west-1b", create.get("AvailabilityZone"));
    assertEquals("io1", create.get("VolumeType"));
    assertEquals("4000", create.get("Iops"));
    assertEquals("true", create.get("Encrypted"), "encrypted like its snapshot");
    assertEquals("a".repeat(64), create.get("ClientToken"));
    assertEquals("volume", create.get("TagSpecification.1.ResourceType"));
    // The plugin's getTagsForCluster: this cluster's ownership first, the source's dropped, the rest copied.
    assertEquals(Map.of("kubernetes.io/cluster/target", "owned", "KubernetesCluster", "target", "Name", "orders-db",
        "velero.io/backup", "nightly"), tags(create));
    assertEquals(ec2.requests.get(2).params().get("VolumeId.1"), volume);
    assertTrue(volume.startsWith("vol-"), volume);
  }

  private static Map<String, String> tags(Map<String, String> params) {
    Map<String, String> tags = new java.util.HashMap<>();
    for (int i = 1; params.containsKey("TagSpecification.1.Tag." + i + ".Key"); i++) {
      tags.put(params.get("TagSpecification.1.Tag." + i + ".Key"), params.get("TagSpecification.1.Tag." + i + ".Value"));
    }
    return tags;
  }

  @Test
  void iopsGoOnlyWithIo1AndIo2AndTheKmsKeyOfTheLocationEncrypts() throws Exception {
    initialised(Map.of("ebsKmsKeyId", "alias/restores")).createVolumeFromSnapshot("snap-0a1b2c3d4e5f60001", "gp3",
        "eu-west-1a", 4000L, "b".repeat(64));
    Map<String, String> create = ec2.requests.get(1).params();
    assertEquals("gp3", create.get("VolumeType"));
    assertFalse(create.containsKey("Iops"), create.toString());
    assertEquals("true", create.get("Encrypted"));
    assertEquals("alias/restores", create.get("KmsKeyId"));
  }

  @Test
  void theSameRequestTokenGetsTheSameVolumeSoARedeliveredItemMakesNoSecondOne() throws Exception {
    String first = initialised(Map.of()).createVolumeFromSnapshot("snap-0a1b2c3d4e5f60001", "gp2", "eu-west-1a",
        null, "c".repeat(64));
    String again = initialised(Map.of()).createVolumeFromSnapshot("snap-0a1b2c3d4e5f60001", "gp2", "eu-west-1a",
        null, "c".repeat(64));
    assertEquals(first, again);
    assertEquals(1, ec2.volumeCount());
  }

  @Test
  void ec2sErrorsArePassedOnWithTheirMessage() throws Exception {
    SnapshotterException missing = assertThrows(SnapshotterException.class, () -> initialised(Map.of())
        .createVolumeFromSnapshot("snap-0000000000000dead", "gp2", "eu-west-1a", null, "d".repeat(64)));
    assertTrue(missing.getMessage().startsWith("The snapshot 'snap-0000000000000dead' does not exist."),
        missing.getMessage());
    SnapshotterException zone = assertThrows(SnapshotterException.class, () -> initialised(Map.of())
        .createVolumeFromSnapshot("snap-0a1b2c3d4e5f60001", "gp2", null, null, "e".repeat(64)));
    assertTrue(zone.getMessage().startsWith("The request must contain the parameter AvailabilityZone"),
        zone.getMessage());
    assertEquals(0, ec2.volumeCount());
  }

  @Test
  void theCredentialsFilesProfileSignsTheRequests() throws Exception {
    EbsVolumeSnapshotter defaultProfile = snapshotter(Map.of());
    defaultProfile.init(Map.of("region", "eu-west-1", "credentialsFile", credentials));
    SnapshotterException denied = assertThrows(SnapshotterException.class, () -> defaultProfile
        .createVolumeFromSnapshot("snap-0a1b2c3d4e5f60001", "gp2", "eu-west-1a", null, "f".repeat(64)));
    assertTrue(denied.getMessage().startsWith("AWS was not able to validate the provided access credentials"),
        denied.getMessage());
  }

  @Test
  void theLocationsConfigIsCheckedAsThePluginChecksIt() {
    SnapshotterException keys = assertThrows(SnapshotterException.class,
        () -> snapshotter(Map.of()).init(Map.of("region", "eu-west-1", "s3Url", "http://x", "bucket", "b")));
    assertEquals("config has invalid keys [bucket s3Url]; valid keys are [region profile credentialsFile "
        + "enableSharedConfig ebsKmsKeyId]", keys.getMessage());
    SnapshotterException region = assertThrows(SnapshotterException.class,
        () -> snapshotter(Map.of()).init(Map.of("profile", "restores")));
    assertEquals("missing region in aws configuration", region.getMessage());
    SnapshotterException uninitialised = assertThrows(SnapshotterException.class,
        () -> snapshotter(Map.of()).createVolumeFromSnapshot("snap-1", "gp2", "eu-west-1a", null, "0".repeat(64)));
    assertEquals("the aws volume snapshotter was not initialised", uninitialised.getMessage());
  }

  @Test
  void setsTheInTreeVolumeIdZoneQualifiedWhenLabelledOrTheEbsCsiHandle() throws Exception {
    EbsVolumeSnapshotter snapshotter = snapshotter(Map.of());
    ObjectNode zoned = pv("""
        {"metadata":{"name":"pv-1","labels":{"failure-domain.beta.kubernetes.io/zone":"eu-west-1b"}},
         "spec":{"awsElasticBlockStore":{"volumeID":"aws://eu-west-1b/vol-source","fsType":"ext4"}}}""");
    assertEquals("aws://eu-west-1b/vol-new", snapshotter.setVolumeId(zoned, "vol-new").path("spec")
        .path("awsElasticBlockStore").path("volumeID").asText());
    assertEquals("ext4", zoned.path("spec").path("awsElasticBlockStore").path("fsType").asText());
    ObjectNode bare = pv("{\"metadata\":{\"name\":\"pv-2\"},\"spec\":{\"awsElasticBlockStore\":{\"volumeID\":\"vol-source\"}}}");
    assertEquals("vol-new", snapshotter.setVolumeId(bare, "vol-new").path("spec").path("awsElasticBlockStore")
        .path("volumeID").asText());
    ObjectNode csi = pv("{\"metadata\":{\"name\":\"pv-3\"},\"spec\":{\"csi\":{\"driver\":\"ebs.csi.aws.com\","
        + "\"volumeHandle\":\"vol-source\"}}}");
    assertEquals("vol-new", snapshotter.setVolumeId(csi, "vol-new").path("spec").path("csi").path("volumeHandle")
        .asText());
    assertEquals("unable to handle CSI driver: pd.csi.storage.gke.io", assertThrows(SnapshotterException.class,
        () -> snapshotter.setVolumeId(pv("{\"spec\":{\"csi\":{\"driver\":\"pd.csi.storage.gke.io\"}}}"), "vol-new"))
        .getMessage());
    assertEquals("spec.csi and spec.awsElasticBlockStore not found", assertThrows(SnapshotterException.class,
        () -> snapshotter.setVolumeId(pv("{\"spec\":{\"hostPath\":{\"path\":\"/x\"}}}"), "vol-new")).getMessage());
  }

  private static ObjectNode pv(String json) throws Exception {
    return (ObjectNode) Json.mapper().readTree(json);
  }
}
