package dev.rebound.itemrestorer.snapshots.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.snapshots.SnapshotterException;
import dev.rebound.itemrestorer.snapshots.VolumeSnapshotter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;
import software.amazon.awssdk.services.ec2.model.CreateVolumeRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeState;

/**
 * Velero's AWS volume snapshotter ({@code velero.io/aws}, from velero-plugin-for-aws) as a restore
 * uses it (reference 6.1): EBS volumes from EBS snapshots through the AWS SDK v2.
 *
 * <p>Same as the plugin: the VolumeSnapshotLocation config keys it accepts and their errors; the
 * snapshot described first and its tags copied to the volume (ownership tags replaced when
 * {@code AWS_CLUSTER_NAME} is set); the volume in the snapshot's recorded availability zone, with
 * the recorded type, IOPS only for io1/io2, encrypted like the snapshot or with {@code ebsKmsKeyId};
 * {@code spec.awsElasticBlockStore.volumeID} (zone-qualified when the PV has the failure-domain
 * label) or the {@code ebs.csi.aws.com} volume handle set.
 *
 * <p>Beyond the plugin: the create carries an idempotency token derived from the restore and the
 * volume, so a redelivered item gets the same volume back instead of a second one; and the volume
 * is returned only once EC2 reports it {@code available} (the plugin returns while it is
 * {@code creating}).
 *
 * <p>The EC2 endpoint is the SDK's: the region's, or the standard override {@code
 * AWS_ENDPOINT_URL_EC2} / {@code -Daws.endpointUrlEc2} (VPC endpoints, EC2-compatible clouds).
 */
public final class EbsVolumeSnapshotter implements VolumeSnapshotter {

  /** Velero's plugin name for this provider. */
  public static final String NAME = "velero.io/aws";

  static final String CSI_DRIVER = "ebs.csi.aws.com";
  static final String ZONE_LABEL = "failure-domain.beta.kubernetes.io/zone";
  private static final List<String> VALID_KEYS =
      List.of("region", "profile", "credentialsFile", "enableSharedConfig", "ebsKmsKeyId");
  private static final Set<String> IOPS_VOLUME_TYPES = Set.of("io1", "io2");

  private final Function<Ec2ClientBuilder, Ec2Client> build;
  private final Map<String, String> environment;
  private final Duration pollInterval;
  private final Duration availableTimeout;
  private Ec2Client ec2;
  private String kmsKeyId = "";

  /** The snapshotter as the item-restorer runs it: the process environment, EC2's pace. */
  public EbsVolumeSnapshotter() {
    this(Ec2ClientBuilder::build, System.getenv(), Duration.ofSeconds(2), Duration.ofMinutes(10));
  }

  /**
   * @param build finishes the client builder (the tests point it at their endpoint)
   * @param environment where {@code AWS_CLUSTER_NAME} is read
   */
  public EbsVolumeSnapshotter(Function<Ec2ClientBuilder, Ec2Client> build, Map<String, String> environment,
      Duration pollInterval, Duration availableTimeout) {
    this.build = build;
    this.environment = environment;
    this.pollInterval = pollInterval;
    this.availableTimeout = availableTimeout;
  }

  @Override
  public void init(Map<String, String> config) throws SnapshotterException {
    List<String> invalid = config.keySet().stream().filter(k -> !VALID_KEYS.contains(k)).sorted().toList();
    if (!invalid.isEmpty()) {
      // Velero's framework.ValidateVolumeSnapshotterConfigKeys, Go's %v of a string slice.
      throw new SnapshotterException("config has invalid keys [" + String.join(" ", invalid) + "]; valid keys are ["
          + String.join(" ", VALID_KEYS) + "]");
    }
    String region = config.getOrDefault("region", "");
    if (region.isEmpty()) {
      throw new SnapshotterException("missing region in aws configuration");
    }
    kmsKeyId = config.getOrDefault("ebsKmsKeyId", "");
    try {
      ec2 = build.apply(Ec2Client.builder()
          .region(Region.of(region))
          .credentialsProvider(credentials(config.getOrDefault("profile", ""), config.getOrDefault("credentialsFile", "")))
          .httpClient(ApacheHttpClient.create()));
    } catch (SdkException | IllegalArgumentException e) {
      throw new SnapshotterException("unable to create an EC2 client: " + e.getMessage(), e);
    }
  }

  private static AwsCredentialsProvider credentials(String profile, String credentialsFile) {
    String name = profile.isEmpty() ? "default" : profile;
    if (credentialsFile.isEmpty()) {
      return profile.isEmpty() ? DefaultCredentialsProvider.builder().build()
          : ProfileCredentialsProvider.builder().profileName(name).build();
    }
    ProfileFile file = ProfileFile.builder().content(Path.of(credentialsFile)).type(ProfileFile.Type.CREDENTIALS).build();
    return ProfileCredentialsProvider.builder().profileFile(file).profileName(name).build();
  }

  @Override
  public String createVolumeFromSnapshot(String snapshotId, String volumeType, String volumeAZ, Long iops,
      String requestToken) throws SnapshotterException {
    if (ec2 == null) {
      throw new SnapshotterException("the aws volume snapshotter was not initialised");
    }
    try {
      List<Snapshot> snapshots = ec2.describeSnapshots(r -> r.snapshotIds(snapshotId)).snapshots();
      if (snapshots.size() != 1) {
        throw new SnapshotterException("expected 1 snapshot from DescribeSnapshots for " + snapshotId + ", got "
            + snapshots.size());
      }
      Snapshot snapshot = snapshots.get(0);
      CreateVolumeRequest.Builder create = CreateVolumeRequest.builder()
          .snapshotId(snapshotId)
          .availabilityZone(volumeAZ == null ? "" : volumeAZ)
          .volumeType(volumeType)
          .encrypted(snapshot.encrypted())
          .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.VOLUME)
              .tags(tagsForCluster(snapshot.tags())).build());
      if (!kmsKeyId.isEmpty()) {
        create.encrypted(true).kmsKeyId(kmsKeyId);
      }
      if (volumeType != null && IOPS_VOLUME_TYPES.contains(volumeType) && iops != null) {
        create.iops(iops.intValue());
      }
      if (requestToken != null && !requestToken.isEmpty()) {
        create.clientToken(requestToken);
      }
      String volumeId = ec2.createVolume(create.build()).volumeId();
      awaitAvailable(volumeId);
      return volumeId;
    } catch (SdkException e) {
      throw new SnapshotterException(e.getMessage(), e);
    }
  }

  /** The plugin's getTagsForCluster: the snapshot's tags, with this cluster's ownership when named. */
  List<Tag> tagsForCluster(List<Tag> snapshotTags) {
    List<Tag> tags = new ArrayList<>();
    String cluster = environment.get("AWS_CLUSTER_NAME");
    if (cluster != null) {
      tags.add(Tag.builder().key("kubernetes.io/cluster/" + cluster).value("owned").build());
      tags.add(Tag.builder().key("KubernetesCluster").value(cluster).build());
    }
    for (Tag tag : snapshotTags) {
      if (cluster != null && (tag.key().startsWith("kubernetes.io/cluster/") || tag.key().equals("KubernetesCluster"))) {
        continue;
      }
      tags.add(tag);
    }
    return tags;
  }

  private void awaitAvailable(String volumeId) throws SnapshotterException {
    long deadline = System.nanoTime() + availableTimeout.toNanos();
    while (true) {
      List<Volume> volumes = ec2.describeVolumes(r -> r.volumeIds(volumeId)).volumes();
      if (volumes.size() != 1) {
        throw new SnapshotterException("Expected one volume from DescribeVolumes for volume ID " + volumeId + ", got "
            + volumes.size());
      }
      VolumeState state = volumes.get(0).state();
      if (state == VolumeState.AVAILABLE || state == VolumeState.IN_USE) {
        return;
      }
      if (state == VolumeState.ERROR || state == VolumeState.DELETING || state == VolumeState.DELETED) {
        throw new SnapshotterException("volume " + volumeId + " created from the snapshot is " + state);
      }
      if (System.nanoTime() > deadline) {
        throw new SnapshotterException("volume " + volumeId + " created from the snapshot is still " + state
            + " after " + availableTimeout.toSeconds() + "s");
      }
      try {
        Thread.sleep(pollInterval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SnapshotterException("interrupted waiting for volume " + volumeId);
      }
    }
  }

  @Override
  public ObjectNode setVolumeId(ObjectNode pv, String volumeId) throws SnapshotterException {
    JsonNode spec = pv.path("spec");
    if (spec.path("csi").isObject()) {
      String driver = spec.path("csi").path("driver").asText("");
      if (!CSI_DRIVER.equals(driver)) {
        throw new SnapshotterException("unable to handle CSI driver: " + driver);
      }
      ((ObjectNode) spec.path("csi")).put("volumeHandle", volumeId);
    } else if (spec.path("awsElasticBlockStore").isObject()) {
      String zone = pv.path("metadata").path("labels").path(ZONE_LABEL).asText("");
      ((ObjectNode) spec.path("awsElasticBlockStore")).put("volumeID",
          zone.isEmpty() ? volumeId : "aws://" + zone + "/" + volumeId);
    } else {
      throw new SnapshotterException("spec.csi and spec.awsElasticBlockStore not found");
    }
    return pv;
  }
}
