package dev.rebound.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.testsupport.VendoredCrds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 scope 3: Velero's DownloadRequests, created with the Kubernetes API as the Velero CLI
 * creates them, are answered for Rebound's restores with pre-signed URLs of the restore's files
 * that curl fetches without credentials; they expire and are deleted as Velero's are (a URL TTL of
 * 20 s here, 10 minutes by default).
 */
class DownloadRequestIT {

  private static final String BACKUP = "download-app";
  private static final String RESTORE = "dl-restore";
  private static final Duration TTL = Duration.ofSeconds(20);
  private static final List<String> KINDS = List.of("RestoreLog", "RestoreResults", "RestoreResourceList",
      "RestoreItemOperations", "RestoreVolumeInfo");

  private static Pipeline pipeline;

  @BeforeAll
  static void start() throws Exception {
    pipeline = Pipeline.start("download-requests", Map.of("status-reporter", Map.of(
        "rebound.download-requests.enabled", "true",
        "rebound.download-requests.url-ttl", TTL.toSeconds() + "s")));
    VendoredCrds.install(pipeline.kube, VendoredCrds.file("velero", "velero.io_downloadrequests.yaml"));
    if (pipeline.kube.namespaces().withName("velero").get() == null) {
      pipeline.kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("velero").endMetadata()
          .build()).create();
    }
    pipeline.uploader.upload(VeleroBackupBuilder.named(BACKUP).items(List.of(RealisticItems.namespace(BACKUP),
        RealisticItems.configMap(BACKUP, "settings", Map.of("a", "1")))).build(), "");
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static MixedOperation<GenericKubernetesResource, ?, Resource<GenericKubernetesResource>> requests() {
    return pipeline.kube.genericKubernetesResources("velero.io/v1", "DownloadRequest");
  }

  /** A DownloadRequest as {@code velero restore logs} makes one: {@code <restore>-<uuid>}, no status. */
  private static String request(String kind, String target) {
    String name = target + "-" + java.util.UUID.randomUUID();
    requests().inNamespace("velero").resource(new GenericKubernetesResourceBuilder().withApiVersion("velero.io/v1")
        .withKind("DownloadRequest").withNewMetadata().withName(name).withNamespace("velero").endMetadata()
        .addToAdditionalProperties("spec", Map.of("target", Map.of("kind", kind, "name", target))).build()).create();
    return name;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(String name) {
    GenericKubernetesResource r = requests().inNamespace("velero").withName(name).get();
    return r == null ? null : (Map<String, Object>) r.getAdditionalProperties().getOrDefault("status", Map.of());
  }

  @Test
  void eachRestoreFileIsServedThroughAPreSignedUrlThatExpires() throws Exception {
    assertEquals(201, pipeline.api.submit("{\"metadata\": {\"name\": \"" + RESTORE + "\"}, \"spec\": {\"backupName\": \""
        + BACKUP + "\"}}", "application/json").status());
    assertEquals("Completed", pipeline.api.awaitEnd(RESTORE, Duration.ofMinutes(2), r -> {}).path("status")
        .path("phase").asText());

    Instant asked = Instant.now();
    Map<String, String> names = new java.util.LinkedHashMap<>();
    for (String kind : KINDS) {
      names.put(kind, request(kind, RESTORE));
    }
    String missing = request("RestoreLog", "no-such-restore");
    String backupLog = request("BackupLog", BACKUP);
    Path dir = Files.createTempDirectory("download-requests");
    for (String kind : KINDS) {
      String name = names.get(kind);
      Map<String, Object> status = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
          .until(() -> status(name), s -> s != null && "Processed".equals(s.get("phase")));
      Instant expiration = Instant.parse((String) status.get("expiration"));
      assertTrue(!expiration.isBefore(asked.plus(TTL).minusSeconds(1))
          && !expiration.isAfter(Instant.now().plus(TTL)), kind + " expires " + expiration);
      String url = (String) status.get("downloadURL");
      assertTrue(url.contains("X-Amz-Signature="), url);
      // What the Velero CLI does with it: a plain GET, no credentials, then gunzip.
      Path file = dir.resolve(kind + ".gz");
      assertEquals(0, curl(url, file), kind + ": curl " + url);
      String key = "restores/" + RESTORE + "/" + (kind.equals("RestoreVolumeInfo") ? RESTORE + "-volumeinfo.json.gz"
          : "restore-" + RESTORE + "-" + suffix(kind));
      byte[] fetched = Files.readAllBytes(file);
      assertArrayEquals(pipeline.uploader.read(key), fetched, kind + " is " + key);
      assertTrue(gunzip(fetched).length > 0, kind);
    }
    String log = new String(gunzip(Files.readAllBytes(dir.resolve("RestoreLog.gz"))), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(pipeline.api.get(RESTORE, "logs").body(), log, "the log the API serves");

    // A restore that does not exist: only the expiration, as Velero answers; a backup's files: left to Velero.
    Map<String, Object> none = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
        .until(() -> status(missing), s -> s != null && s.get("expiration") != null);
    assertNull(none.get("phase"));
    assertNull(none.get("downloadURL"));
    assertEquals(Map.of(), status(backupLog), "a backup's DownloadRequest is Velero's to answer");

    // Expired: every answered request is deleted, and its URL no longer works.
    String firstUrl = (String) status(names.get("RestoreLog")).get("downloadURL");
    await().atMost(TTL.plusSeconds(40)).pollInterval(Duration.ofMillis(500))
        .until(() -> KINDS.stream().allMatch(k -> status(names.get(k)) == null) && status(missing) == null);
    assertNotEquals(0, curl(firstUrl, dir.resolve("late.gz")), "an expired URL is refused");
    requests().inNamespace("velero").withName(backupLog).delete();
  }

  private static String suffix(String kind) {
    return switch (kind) {
      case "RestoreLog" -> "logs.gz";
      case "RestoreResults" -> "results.gz";
      case "RestoreResourceList" -> "resource-list.json.gz";
      case "RestoreItemOperations" -> "itemoperations.json.gz";
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** {@code curl -sf}: 0 when the file was fetched, curl's exit code otherwise (22 for an HTTP error). */
  private static int curl(String url, Path to) throws Exception {
    Process curl = new ProcessBuilder("curl", "-sS", "-f", "-o", to.toString(), url).redirectErrorStream(true).start();
    String output = new String(curl.getInputStream().readAllBytes());
    int code = curl.waitFor();
    if (code != 0) {
      System.out.println("curl " + url + ": exit " + code + " " + output);
    }
    return code;
  }

  private static byte[] gunzip(byte[] gz) throws Exception {
    try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }
}
