package dev.rebound.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.ResticRepository;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.fixtures.VolumeTrees;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.model.Json;
import dev.rebound.servers.LocalServers;
import dev.rebound.servers.ReboundServices;
import dev.rebound.servers.S3Server;
import dev.rebound.testsupport.VendoredCrds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, acceptance 1, on the real node: a pod whose volume Velero backed up with its
 * file-system backup (restic) is restored; the restore-wait init container holds it until the
 * volume-restorer has written the data, then the application container itself lists the volume:
 * every file's bytes, mode, owner, mtime and links, and the sparse file's allocation, equal to the
 * backed-up tree. The PodVolumeRestore ends Completed in Velero's shape.
 */
class FileSystemRestoreIT {

  private static final String IMAGE = "rebound/busybox:1.35.0";
  /** The services' {@code VeleroResources.PODVOLUMERESTORES}: these tests do not depend on service-support. */
  private static final ResourceDefinitionContext PVRS = new ResourceDefinitionContext.Builder()
      .withGroup("velero.io").withVersion("v1").withPlural("podvolumerestores").withKind("PodVolumeRestore")
      .withNamespaced(true).build();
  /**
   * Lists a volume as the test compares it, with busybox's own tools (the same binary lists the
   * backed-up tree on this machine): per entry its type, mode, owner, mtime; a file's size, links,
   * SHA-256 and inode (for hard links); a link's target; then the sparse file's allocated blocks.
   */
  private static final String LIST = """
      cd "$1" || exit 1
      find . -mindepth 1 ! -path './.velero*' | sort | while read -r p; do
        if [ -L "$p" ]; then echo "$p link $(readlink "$p") $(stat -c '%u:%g' "$p")"
        elif [ -d "$p" ]; then echo "$p dir $(stat -c '%a %u:%g %Y' "$p")"
        else echo "$p file $(stat -c '%a %u:%g %Y %s %h' "$p") $(sha256sum < "$p" | cut -d' ' -f1) ino=$(stat -c %i "$p")"
        fi
      done
      echo "allocated $(stat -c '%b %B' ./db/sparse.img)"
      """;

  private static Pipeline pipeline;
  private static boolean node;
  @TempDir
  static Path tmp;
  /** Each test's backed-up volume, prepared before the node is taken. */
  private static Backup small;
  private static Backup large;

  @BeforeAll
  static void start() throws Exception {
    // The services and both backups (restic writing 24 and 192 MiB) first, then the node: the
    // machine's one node is held only while pods must run (a test JVM beside this one waits for it).
    pipeline = Pipeline.start("fs-restore");
    VendoredCrds.install(pipeline.kube, VendoredCrds.file("velero", "velero.io_podvolumerestores.yaml"));
    if (pipeline.kube.namespaces().withName("velero").get() == null) {
      pipeline.kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("velero").endMetadata()
          .build()).create();
    }
    small = backUp(tmp.resolve("small"), 24L << 20);
    large = backUp(tmp.resolve("large"), 192L << 20);
    LocalServers.kubeWithNode();
    node = true;
  }

  @AfterAll
  static void stop() {
    if (node) {
      LocalServers.releaseNode(); // first: the next user of the node need not wait for the services' stop
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void theApplicationContainerStartsOnEveryByteOfItsRestoredVolume() throws Exception {
    restoreAndCheck(small, name -> { });
  }

  /**
   * Acceptance 3: the volume-restorer is killed with SIGKILL (restic with it) while it writes the
   * volume; the one started after it restores the volume again, and the restore ends with the data
   * complete and its counts exact.
   */
  @Test
  void aVolumeRestorerKilledMidCopyLeavesTheDataCompleteAndTheCountsExact() throws Exception {
    restoreAndCheck(large, restore -> {
      org.awaitility.Awaitility.await("the PodVolumeRestore in progress").atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(100)).until(() -> pvrs(restore).stream()
              .anyMatch(p -> "InProgress".equals(Json.mapper().valueToTree(p).at("/status/phase").asText())));
      // SIGKILL to the service and its restic; returns once they are gone. Another instance follows.
      pipeline.services.get("volume-restorer").process().kill();
      try {
        pipeline.services.startAnother("volume-restorer");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  private static List<GenericKubernetesResource> pvrs(String restore) {
    return pipeline.kube.genericKubernetesResources(PVRS).inNamespace("velero")
        .withLabel("velero.io/restore-name", restore).list().getItems();
  }

  /** A volume tree backed up with restic as Velero does, and the backup of its pod uploaded. */
  private record Backup(String namespace, Path source, String snapshot, String name, long largeBytes) {}

  private static Backup backUp(Path tmp, long largeBytes) throws Exception {
    String namespace = "fsb-" + UUID.randomUUID().toString().substring(0, 6);
    Path source = tmp.resolve("data");
    VolumeTrees.write(source, largeBytes);
    S3Server s3 = LocalServers.s3();
    ResticRepository repo = new ResticRepository(s3.endpoint(), ReboundServices.BUCKET, "", namespace,
        s3.accessKey(), s3.secretKey(), S3Server.REGION, ResticRepository.VELERO_DEFAULT_PASSWORD, tmp.resolve("cache"));
    repo.init();
    String snapshot = repo.backup(source, Map.of("ns", namespace, "volume", "data"));
    ObjectNode pod = pod(namespace);
    String backup = "fsb-" + namespace;
    pipeline.uploader.upload(VeleroBackupBuilder.named(backup).items(List.of(RealisticItems.namespace(namespace), pod))
        .podVolumeBackup(repo.podVolumeBackup(backup, "b-" + namespace, pod, "data", null, snapshot,
            largeBytes, Instant.parse("2026-12-01T02:00:00Z")))
        .build(), "");
    return new Backup(namespace, source, snapshot, backup, largeBytes);
  }

  /**
   * Restores the backed-up pod, runs {@code meanwhile} once the restore is submitted, and checks the
   * restore, its PodVolumeRestore and the data the application container sees.
   */
  private static void restoreAndCheck(Backup prepared, java.util.function.Consumer<String> meanwhile)
      throws Exception {
    String namespace = prepared.namespace();
    Path source = prepared.source();
    String snapshot = prepared.snapshot();
    String backup = prepared.name();
    long largeBytes = prepared.largeBytes();

    RestoreApi.Answer submitted = pipeline.api.submit("{\"metadata\": {\"name\": \"" + backup + "\"}, \"spec\": "
        + "{\"backupName\": \"" + backup + "\", \"uploaderConfig\": {\"writeSparseFiles\": true}}}", "application/json");
    assertEquals(201, submitted.status(), submitted.body());
    meanwhile.accept(backup);
    JsonNode restore = pipeline.api.awaitEnd(backup, Duration.ofMinutes(5), r -> { });
    assertEquals("Completed", restore.at("/status/phase").asText(), restore + "\n" + pipeline.api.get(backup, "logs").body());
    assertEquals(2, restore.at("/status/progress/totalItems").asInt(), restore.toString());
    assertEquals(2, restore.at("/status/progress/itemsRestored").asInt(), restore.toString());
    assertTrue(restore.at("/status/errors").isMissingNode(), restore.toString());

    // The PodVolumeRestore, as Velero's tooling lists it.
    List<GenericKubernetesResource> pvrs = pvrs(backup);
    assertEquals(1, pvrs.size());
    JsonNode pvr = Json.mapper().valueToTree(pvrs.get(0));
    assertEquals("Completed", pvr.at("/status/phase").asText(), pvr.toString());
    assertEquals("rebound-node", pvr.at("/status/node").asText());
    assertEquals(snapshot, pvr.at("/spec/snapshotID").asText());
    assertEquals("data", pvr.at("/spec/volume").asText());
    assertEquals(namespace, pvr.at("/spec/sourceNamespace").asText());
    assertEquals("restic", pvr.at("/spec/uploaderType").asText());
    assertEquals("true", pvr.at("/spec/uploaderSettings/WriteSparseFiles").asText());
    assertEquals(pipeline.kube.pods().inNamespace(namespace).withName("db-0").get().getMetadata().getUid(),
        pvr.at("/metadata/labels/velero.io~1pod-uid").asText());
    assertTrue(pvr.at("/status/progress/bytesDone").asLong() >= largeBytes, pvr.toString());

    // Reference 6.5: the volume restore is the restore's item operation, counted in its status and
    // listed in the bucket in Velero's format.
    assertEquals(List.of(1, 1, 0), List.of(restore.at("/status/restoreItemOperationsAttempted").asInt(),
        restore.at("/status/restoreItemOperationsCompleted").asInt(),
        restore.at("/status/restoreItemOperationsFailed").asInt()), restore.toString());
    byte[] gz = pipeline.uploader.read("restores/" + backup + "/restore-" + backup + "-itemoperations.json.gz");
    JsonNode operations;
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      operations = Json.mapper().readTree(in);
    }
    assertEquals(1, operations.size(), operations.toString());
    JsonNode operation = operations.get(0);
    assertEquals(pvrs.get(0).getMetadata().getName(), operation.at("/spec/operationID").asText());
    assertEquals("velero.io/pod-volume-restore", operation.at("/spec/restoreItemAction").asText());
    assertEquals(Json.mapper().readTree("{\"Group\":\"\",\"Resource\":\"pods\",\"Namespace\":\"" + namespace
        + "\",\"Name\":\"db-0\"}"), operation.at("/spec/resourceIdentifier"));
    assertEquals("Completed", operation.at("/status/phase").asText());
    assertEquals("Bytes", operation.at("/status/operationUnits").asText());
    assertEquals(pvr.at("/status/progress/bytesDone").asLong(), operation.at("/status/nCompleted").asLong());

    // The application container lists the volume it started on.
    pipeline.kube.pods().inNamespace(namespace).withName("db-0").waitUntilCondition(p -> p != null
        && "Running".equals(p.getStatus().getPhase()), 2, TimeUnit.MINUTES);
    String[] listed = {""};
    org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> {
      listed[0] = pipeline.kube.pods().inNamespace(namespace).withName("db-0").inContainer("app").getLog();
      return listed[0].contains("\nEND\n");
    });
    String actual = listed[0].substring(0, listed[0].indexOf("END\n"));
    String expected = list(source);
    assertEquals(withoutAllocation(canonical(expected)), withoutAllocation(canonical(actual)));
    long allocated = allocation(actual);
    assertTrue(allocated < 16L << 20, "the 256 MiB sparse file keeps its holes: " + allocated + " bytes allocated");
    String restoreWait = pipeline.kube.pods().inNamespace(namespace).withName("db-0").inContainer("restore-wait")
        .getLog();
    assertTrue(restoreWait.contains("All restores are done"), restoreWait);
  }

  /** A backed-up pod with an emptyDir volume whose container lists the volume, then keeps running. */
  private static ObjectNode pod(String namespace) throws Exception {
    ObjectNode pod = (ObjectNode) Json.mapper().readTree("""
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "db-0", "namespace": "%s", "uid": "5e0c2a5e-8a51-4f0e-9d7e-7c2b1f00aa01",
                      "resourceVersion": "4242", "creationTimestamp": "2026-11-30T10:00:00Z",
                      "labels": {"app": "db"}},
         "spec": {"nodeName": "worker-3", "terminationGracePeriodSeconds": 0,
                  "automountServiceAccountToken": false,
                  "containers": [{"name": "app", "image": "%s", "imagePullPolicy": "IfNotPresent",
                                  "command": ["sh", "-c", "", "list"],
                                  "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
                  "volumes": [{"name": "data", "emptyDir": {}}]},
         "status": {"phase": "Running"}}
        """.formatted(namespace, IMAGE));
    ((com.fasterxml.jackson.databind.node.ArrayNode) pod.at("/spec/containers/0/command"))
        .set(2, Json.mapper().getNodeFactory().textNode("list() {\n" + LIST + "}\nlist /data; echo END; sleep 3600"));
    return pod;
  }

  /** The backed-up tree listed by the same busybox script on this machine. */
  private static String list(Path dir) throws Exception {
    Process p = new ProcessBuilder("/bin/busybox", "sh", "-c", "list() {\n" + LIST + "}\nlist \"$0\"", dir.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  /** Inode numbers differ between machines: each becomes the first path that has it (hard links share one). */
  private static String canonical(String listing) {
    Map<String, String> first = new HashMap<>();
    List<String> lines = new ArrayList<>();
    for (String line : listing.lines().toList()) {
      int ino = line.lastIndexOf(" ino=");
      if (ino < 0) {
        lines.add(line);
        continue;
      }
      String path = line.substring(0, line.indexOf(' '));
      String group = first.computeIfAbsent(line.substring(ino + 5), k -> path);
      lines.add(line.substring(0, ino) + " inode-of=" + group);
    }
    return String.join("\n", lines);
  }

  private static String withoutAllocation(String listing) {
    return listing.lines().filter(l -> !l.startsWith("allocated ")).reduce("", (a, b) -> a + b + "\n");
  }

  private static long allocation(String listing) {
    String[] parts = listing.lines().filter(l -> l.startsWith("allocated ")).findFirst().orElseThrow().split(" ");
    return Long.parseLong(parts[1]) * Long.parseLong(parts[2]);
  }
}
