package dev.rebound.volumerestorer.pvr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.fixtures.ResticRepository;
import dev.rebound.fixtures.VolumeTrees;
import dev.rebound.model.Hashes;
import dev.rebound.servers.LocalServers;
import dev.rebound.servers.S3Server;
import dev.rebound.support.kube.TargetClusters;
import dev.rebound.support.kube.VeleroResources;
import dev.rebound.support.settings.ServiceSettings;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.KubeServerResource;
import dev.rebound.testsupport.S3ServerResource;
import dev.rebound.testsupport.VendoredCrds;
import dev.rebound.volumerestorer.config.VolumeRestorerConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node-agent's side of reference 6.2 against the real kube-apiserver with Velero's
 * PodVolumeRestore CRD, real restic repositories in the real S3 server, and no kubelet: a pod is
 * "on this node" by its {@code spec.nodeName}, its {@code restore-wait} init container "runs" by
 * the status the test writes as the kubelet would, and its emptyDir volumes are directories under
 * the configured pods directory. The PodVolumeRestores are the item-restorer's. Repositories are found
 * through Velero's BackupStorageLocations, as the PodVolumeRestore names them: {@code default} is the
 * volume-restorer's own bucket, read with its own keys.
 */
@QuarkusTest
@TestProfile(PodVolumeRestoreControllerIT.OnOneNode.class)
@WithTestResource(KafkaServerResource.class)
@WithTestResource(S3ServerResource.class)
@WithTestResource(value = KubeServerResource.class, initArgs = {
    @ResourceArg(name = "prefix", value = "rebound.volume-restorer"), @ResourceArg(name = "locations", value = "true")})
class PodVolumeRestoreControllerIT {

  private static final String VELERO = "velero";
  private static final String PASSWORD = "the-cluster's-passw0rd";
  private static final String TEAM_BUCKET = "team-b-backups";
  private static final Duration ENDS_WITHIN = Duration.ofSeconds(60);

  @Inject TargetClusters clusters;
  @Inject VolumeRestorerConfig config;
  @Inject ServiceSettings settings;

  private KubernetesClient kube;
  private String node;
  private String namespace;

  @BeforeEach
  void cluster() {
    kube = clusters.defaultClient();
    VendoredCrds.install(kube, VendoredCrds.file("velero", "velero.io_podvolumerestores.yaml"),
        VendoredCrds.file("velero", "velero.io_backupstoragelocations.yaml"));
    createIfMissing(new NamespaceBuilder().withNewMetadata().withName(VELERO).endMetadata().build());
    bsl("default", S3ServerResource.DEFAULT_BUCKET, null, null);
    // The node exists, as a restored pod's does (the pod garbage collector deletes pods bound to no node).
    node = config.nodeName().orElseThrow();
    createIfMissing(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build());
    kube.secrets().inNamespace(VELERO).resource(new SecretBuilder().withNewMetadata()
        .withName("velero-repo-credentials").endMetadata().addToStringData("repository-password", PASSWORD).build())
        .createOr(NonDeletingOperation::update);
    namespace = "pvr-" + UUID.randomUUID().toString().substring(0, 6);
    kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    Awaitility.await("the namespace's default service account").atMost(Duration.ofSeconds(30))
        .until(() -> kube.serviceAccounts().inNamespace(namespace).withName("default").get() != null);
    Awaitility.await("the volume-restorer's settings valid").atMost(Duration.ofSeconds(30)).until(settings::valid);
  }

  @AfterAll
  static void removePodsDir() throws IOException {
    delete(OnOneNode.root());
  }

  @Test
  void aWrongPasswordAndAMissingSnapshotFailWithResticsWordsAndTheOtherVolumesAreRestored(@TempDir Path tmp)
      throws Exception {
    String shop = "shop-" + UUID.randomUUID().toString().substring(0, 6);
    Path source = tmp.resolve("data");
    long bytes = smallTree(source);
    ResticRepository current = repository(shop, PASSWORD, tmp);
    current.init();
    String snapshot = current.backup(source, Map.of("ns", shop, "volume", "data"));
    // A namespace backed up before the repository password was changed: its repository keeps the old one.
    String legacy = "legacy-" + UUID.randomUUID().toString().substring(0, 6);
    ResticRepository old = repository(legacy, "an-older-passw0rd", tmp);
    old.init();
    String oldSnapshot = old.backup(source, Map.of("ns", legacy, "volume", "cache"));
    String missing = VolumeTrees.sha256(source.resolve("db/PG_VERSION")); // 64 hex digits, no snapshot's ID

    String restoreUid = UUID.randomUUID().toString();
    Pod db = pod("db-0", node, restoreUid, "data", "logs");
    Pod cache = pod("cache-0", node, restoreUid, "cache");
    Pod elsewhere = pod("web-0", "another-node", restoreUid, "data");
    String data = pvr("r1", restoreUid, db, "data", "default", shop, snapshot, bytes);
    String logs = pvr("r1", restoreUid, db, "logs", "default", shop, missing, bytes);
    String cached = pvr("r1", restoreUid, cache, "cache", "default", legacy, oldSnapshot, bytes);
    String other = pvr("r1", restoreUid, elsewhere, "data", "default", shop, snapshot, bytes);

    // Velero's node-agent waits for restore-wait to run: several rounds pass and nothing is taken.
    Awaitility.await("restore-wait not running yet").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
        .until(() -> Stream.of(data, logs, cached, other).allMatch(n -> "New".equals(status(n).get("phase"))));
    assertEquals(List.of(), entries(volumeDir(db, "data")), "nothing restored before restore-wait runs");

    Stream.of(db, cache, elsewhere).forEach(this::restoreWaitRunning);
    Awaitility.await("the PodVolumeRestores of this node ended").atMost(ENDS_WITHIN)
        .pollInterval(Duration.ofMillis(200)).until(() -> Stream.of(data, logs, cached)
            .allMatch(n -> List.of("Completed", "Failed").contains(status(n).get("phase"))));

    Map<String, Object> wrongPassword = status(cached);
    assertEquals("Failed", wrongPassword.get("phase"), wrongPassword.toString());
    assertEquals("error restoring volume cache: restic restore exited with 1: Fatal: wrong password or no key found",
        wrongPassword.get("message"));
    Map<String, Object> noSnapshot = status(logs);
    assertEquals("Failed", noSnapshot.get("phase"), noSnapshot.toString());
    assertEquals("error restoring volume logs: restic restore exited with 1: invalid id \"" + missing
        + "\": no matching ID found for prefix \"" + missing + "\"", noSnapshot.get("message"));
    for (Map<String, Object> failed : List.of(wrongPassword, noSnapshot)) {
      assertEquals(node, failed.get("node"));
      assertNotNull(failed.get("startTimestamp"), failed.toString());
      assertNotNull(failed.get("completionTimestamp"), failed.toString());
    }
    assertEquals(List.of(), entries(volumeDir(cache, "cache")), "no data and no done file");
    assertEquals(List.of(), entries(volumeDir(db, "logs")), "no data and no done file");

    assertRestored(data, volumeDir(db, "data"), source, restoreUid, bytes);
    assertEquals("New", status(other).get("phase"), "the pod of another node is that node's");
    assertEquals(List.of(), entries(volumeDir(elsewhere, "data")));

    // The failures left the controller serving: a volume of a pod restored later is restored too.
    Pod later = pod("db-1", node, restoreUid, "data");
    String laterData = pvr("r1", restoreUid, later, "data", "default", shop, snapshot, bytes);
    restoreWaitRunning(later);
    Awaitility.await("the later PodVolumeRestore ended").atMost(ENDS_WITHIN).pollInterval(Duration.ofMillis(200))
        .until(() -> List.of("Completed", "Failed").contains(status(laterData).get("phase")));
    assertRestored(laterData, volumeDir(later, "data"), source, restoreUid, bytes);
  }

  @Test
  void aVolumeBackedUpIntoAnotherLocationIsRestoredWithThatLocationsBucketPrefixAndCredentials(@TempDir Path tmp)
      throws Exception {
    S3Server s3 = LocalServers.s3();
    s3.createBucket(TEAM_BUCKET);
    String shop = "shop-" + UUID.randomUUID().toString().substring(0, 6);
    Path source = tmp.resolve("data");
    long bytes = smallTree(source);
    ResticRepository teamB = new ResticRepository(s3.endpoint(), TEAM_BUCKET, "cluster-b", shop, s3.accessKey(),
        s3.secretKey(), S3Server.REGION, PASSWORD, tmp.resolve("cache-team-b"));
    teamB.init();
    String snapshot = teamB.backup(source, Map.of("ns", shop, "volume", "data"));
    // Velero's credentials file (velero install --secret-file): the location's own keys, and keys the server refuses.
    credentials("team-b-credentials", s3.accessKey(), s3.secretKey());
    credentials("revoked-credentials", "AKIAREVOKED", "no-longer-valid");
    bsl("team-b", TEAM_BUCKET, "cluster-b", "team-b-credentials");
    bsl("team-b-revoked", TEAM_BUCKET, "cluster-b", "revoked-credentials");

    String restoreUid = UUID.randomUUID().toString();
    Pod db = pod("db-0", node, restoreUid, "data", "revoked", "gone");
    String data = pvr("r2", restoreUid, db, "data", "team-b", shop, snapshot, bytes);
    String revoked = pvr("r2", restoreUid, db, "revoked", "team-b-revoked", shop, snapshot, bytes);
    String gone = pvr("r2", restoreUid, db, "gone", "no-such-location", shop, snapshot, bytes);
    restoreWaitRunning(db);
    Awaitility.await("the PodVolumeRestores ended").atMost(ENDS_WITHIN).pollInterval(Duration.ofMillis(200))
        .until(() -> Stream.of(data, revoked, gone).allMatch(n -> List.of("Completed", "Failed")
            .contains(status(n).get("phase"))));

    // Read from the location's bucket and prefix: the volume-restorer's own bucket has no such repository.
    assertRestored(data, volumeDir(db, "data"), source, restoreUid, bytes);
    Map<String, Object> refused = status(revoked);
    assertEquals("Failed", refused.get("phase"), refused.toString());
    // The location's keys, not the volume-restorer's own, which the server would take.
    assertEquals("error restoring volume revoked: restic restore exited with 1: Fatal: unable to open config file: "
        + "Stat: Access Denied.; Is there a repository at the following location?; s3:" + s3.endpoint() + "/"
        + TEAM_BUCKET + "/cluster-b/restic/" + shop, refused.get("message"));
    Map<String, Object> missing = status(gone);
    assertEquals("Failed", missing.get("phase"), missing.toString());
    assertEquals("error getting backup storage location: backupstoragelocations.velero.io \"no-such-location\" not "
        + "found", missing.get("message"));
    assertEquals(List.of(), entries(volumeDir(db, "revoked")));
    assertEquals(List.of(), entries(volumeDir(db, "gone")));
  }

  private void assertRestored(String pvr, Path dir, Path source, String restoreUid, long bytes) throws IOException {
    Map<String, Object> status = status(pvr);
    assertEquals("Completed", status.get("phase"), status.toString());
    assertEquals(node, status.get("node"));
    assertEquals(Map.of("totalBytes", bytes, "bytesDone", bytes), numbers(status.get("progress")));
    assertEquals(VolumeTrees.describe(source), VolumeTrees.describe(dir), "every entry, byte for byte");
    Path done = dir.resolve(".velero").resolve(restoreUid);
    assertTrue(Files.isRegularFile(done), "the done file " + done);
    assertEquals(List.of(done), entries(dir.resolve(".velero")));
  }

  // ---- the cluster, as the item-restorer and the kubelet leave it

  /** A restored pod bound to {@code node}: Velero's restore-wait init container first, emptyDir volumes. */
  private Pod pod(String name, String node, String restoreUid, String... volumes) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewSpec().withNodeName(node).withAutomountServiceAccountToken(false)
        .addNewInitContainer().withName("restore-wait").withImage("velero/velero:v1.18.0")
        .withCommand("/velero-restore-helper").withArgs(restoreUid)
        .withVolumeMounts(mounts("/restores/", volumes)).endInitContainer()
        .addNewContainer().withName("app").withImage("postgres:16").withVolumeMounts(mounts("/", volumes))
        .endContainer().endSpec();
    for (String v : volumes) {
      pod.editSpec().addNewVolume().withName(v).withNewEmptyDir().endEmptyDir().endVolume().endSpec();
    }
    Pod created = kube.pods().inNamespace(namespace).resource(pod.build()).create();
    for (String v : volumes) {
      try {
        Files.createDirectories(volumeDir(created, v)); // the kubelet makes it before any container runs
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return created;
  }

  private static List<VolumeMount> mounts(String under, String... volumes) {
    return Stream.of(volumes).map(v -> new VolumeMountBuilder().withName(v).withMountPath(under + v).build()).toList();
  }

  private Path volumeDir(Pod pod, String volume) {
    return Path.of(config.podsDir(), pod.getMetadata().getUid(), "volumes", "kubernetes.io~empty-dir", volume);
  }

  /** The status the kubelet reports while the first init container runs, through the status subresource. */
  private void restoreWaitRunning(Pod pod) {
    String now = Instant.now().toString();
    Pod running = new PodBuilder(kube.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).get())
        .withNewStatus().withPhase("Pending").withStartTime(now)
        .addNewCondition().withType("Initialized").withStatus("False").withReason("ContainersNotInitialized")
        .endCondition()
        .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
        .addNewInitContainerStatus().withName("restore-wait").withImage("velero/velero:v1.18.0").withImageID("")
        .withReady(false).withRestartCount(0).withNewState().withNewRunning(now).endState().endInitContainerStatus()
        .addNewContainerStatus().withName("app").withImage("postgres:16").withImageID("").withReady(false)
        .withRestartCount(0).withNewState().withNewWaiting("", "PodInitializing").endState().endContainerStatus()
        .endStatus().build();
    kube.pods().inNamespace(namespace).resource(running).updateStatus();
  }

  /**
   * A PodVolumeRestore as the item-restorer makes it ({@code PodVolumeRestores}), of a volume backed
   * up into {@code location}; its {@code repoIdentifier} is the one Velero's PodVolumeBackup carries, which
   * Velero's node-agent does not read either (the location is).
   */
  private String pvr(String restore, String restoreUid, Pod pod, String volume, String location,
      String sourceNamespace, String snapshotId, long snapshotSize) {
    GenericKubernetesResource pvr = new GenericKubernetesResource();
    pvr.setApiVersion("velero.io/v1");
    pvr.setKind("PodVolumeRestore");
    // The item-restorer's name: generated-looking, derived from restore, pod and volume.
    byte[] seed = Hashes.sha256(restoreUid + "/" + pod.getMetadata().getUid() + "/" + volume);
    StringBuilder name = new StringBuilder(restore + "-");
    for (int i = 0; i < 5; i++) {
      name.append("bcdfghjklmnpqrstvwxz2456789".charAt((seed[i] & 0xff) % 27));
    }
    pvr.setMetadata(new ObjectMetaBuilder().withName(name.toString()).withGenerateName(restore + "-")
        .withNamespace(VELERO)
        .addToLabels("velero.io/restore-name", restore).addToLabels("velero.io/restore-uid", restoreUid)
        .addToLabels("velero.io/pod-uid", pod.getMetadata().getUid()).build());
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("pod", Map.of("kind", "Pod", "namespace", namespace, "name", pod.getMetadata().getName(), "uid",
        pod.getMetadata().getUid()));
    spec.put("volume", volume);
    spec.put("backupStorageLocation", location);
    spec.put("repoIdentifier", "s3:http://" + location + ".example/velero/restic/" + sourceNamespace);
    spec.put("uploaderType", "restic");
    spec.put("snapshotID", snapshotId);
    spec.put("sourceNamespace", sourceNamespace);
    spec.put("snapshotSize", snapshotSize);
    spec.put("uploaderSettings", Map.of("WriteSparseFiles", "false", "ParallelFilesDownload", "2"));
    pvr.setAdditionalProperty("spec", spec);
    pvr.setAdditionalProperty("status", Map.of("phase", "New"));
    kube.genericKubernetesResources(VeleroResources.PODVOLUMERESTORES).inNamespace(VELERO).resource(pvr).create();
    return name.toString();
  }

  /** A BackupStorageLocation of provider aws on the local S3 server (Velero's AWS plugin settings). */
  private void bsl(String name, String bucket, String prefix, String credentialSecret) {
    Map<String, Object> objectStorage = new LinkedHashMap<>(Map.of("bucket", bucket));
    if (prefix != null) {
      objectStorage.put("prefix", prefix);
    }
    Map<String, Object> spec = new LinkedHashMap<>(Map.of("provider", "aws", "objectStorage", objectStorage,
        "config", Map.of("region", S3Server.REGION, "s3ForcePathStyle", "true", "s3Url", LocalServers.s3().endpoint())));
    if (credentialSecret != null) {
      spec.put("credential", Map.of("name", credentialSecret, "key", "cloud"));
    }
    GenericKubernetesResource bsl = new GenericKubernetesResource();
    bsl.setApiVersion("velero.io/v1");
    bsl.setKind("BackupStorageLocation");
    bsl.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(VELERO).build());
    bsl.setAdditionalProperty("spec", spec);
    kube.genericKubernetesResources("velero.io/v1", "BackupStorageLocation").inNamespace(VELERO).resource(bsl)
        .createOr(NonDeletingOperation::update);
  }

  private void credentials(String secret, String keyId, String key) {
    kube.secrets().inNamespace(VELERO).resource(new SecretBuilder().withNewMetadata().withName(secret).endMetadata()
        .addToStringData("cloud", "[default]\naws_access_key_id = " + keyId + "\naws_secret_access_key = " + key + "\n")
        .build()).createOr(NonDeletingOperation::update);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> status(String pvr) {
    Object status = kube.genericKubernetesResources(VeleroResources.PODVOLUMERESTORES).inNamespace(VELERO)
        .withName(pvr).get().getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static Map<String, Long> numbers(Object map) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (map instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(k.toString(), ((Number) v).longValue()));
    }
    return out;
  }

  private void createIfMissing(io.fabric8.kubernetes.api.model.HasMetadata object) {
    try {
      kube.resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  // ---- data

  /** The repository of a source namespace in the volume-restorer's bucket, at Velero's path. */
  private static ResticRepository repository(String sourceNamespace, String password, Path tmp) {
    S3Server s3 = LocalServers.s3();
    return new ResticRepository(s3.endpoint(), S3ServerResource.DEFAULT_BUCKET, "", sourceNamespace, s3.accessKey(),
        s3.secretKey(), S3Server.REGION, password, tmp.resolve("cache-" + sourceNamespace));
  }

  /**
   * A small volume with each kind of entry a restore must bring back exactly (directories, an empty
   * file, a symlink, a hard link, modes, owners, mtimes); returns its bytes as the PodVolumeRestore's
   * progress counts them (regular files, a hard link's bytes once per name).
   */
  private static long smallTree(Path root) throws IOException {
    Random random = new Random(62);
    Files.createDirectories(root.resolve("db/wal"));
    Files.writeString(root.resolve("db/PG_VERSION"), "16\n");
    Files.write(root.resolve("db/empty"), new byte[0]);
    byte[] wal = new byte[300_000];
    random.nextBytes(wal);
    Files.write(root.resolve("db/wal/000000010000000000000001"), wal);
    Files.writeString(root.resolve("db/postgresql.conf"), "listen_addresses = '*'\n");
    Files.createLink(root.resolve("db/postgresql.conf.hardlink"), root.resolve("db/postgresql.conf"));
    Files.createSymbolicLink(root.resolve("db/current"), Path.of("wal/000000010000000000000001"));
    Files.setPosixFilePermissions(root.resolve("db/postgresql.conf"), PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(root.resolve("db/wal"), PosixFilePermissions.fromString("rwx------"));
    Files.setAttribute(root.resolve("db/wal"), "unix:uid", 999);
    Files.setAttribute(root.resolve("db/postgresql.conf"), "unix:gid", 998);
    for (Path p : entries(root).stream().sorted(Comparator.reverseOrder()).toList()) {
      if (!Files.isSymbolicLink(p)) {
        Files.setLastModifiedTime(p, FileTime.fromMillis(1_600_000_000_000L)); // children first
      }
    }
    return 3 + wal.length + 2L * "listen_addresses = '*'\n".length();
  }

  /** Every entry below {@code dir}, sorted; none for a missing directory. */
  private static List<Path> entries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> !p.equals(dir)).sorted().toList();
    }
  }

  private static void delete(Path root) throws IOException {
    if (Files.exists(root)) {
      try (Stream<Path> all = Files.walk(root)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /**
   * This instance is the node-agent of one node, with the kubelet's pods directory and restic's
   * cache in a directory of this test JVM; rounds every 200 ms.
   */
  public static class OnOneNode implements QuarkusTestProfile {

    static Path root() {
      return Path.of(System.getProperty("java.io.tmpdir"), "rebound-pvr-it-" + ProcessHandle.current().pid());
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        return Map.of("rebound.volume-restorer.node-name", "node-pvr-it",
            "rebound.volume-restorer.pods-dir", Files.createDirectories(root().resolve("pods")).toString(),
            "rebound.volume-restorer.restic-cache-dir", root().resolve("restic-cache").toString(),
            "rebound.volume-restorer.poll-interval", "200ms");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
