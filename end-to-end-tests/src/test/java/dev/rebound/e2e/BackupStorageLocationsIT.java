package dev.rebound.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.examplerestore.BackupUploader;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.servers.LocalServers;
import dev.rebound.servers.ReboundServices;
import dev.rebound.servers.S3Server;
import dev.rebound.testsupport.VendoredCrds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 acceptance 3 against the real services, S3 server and API server: backups are found
 * through the BackupStorageLocations of the Velero namespace, two buckets, one location ReadOnly;
 * restores from both work; nothing is written under the ReadOnly one (its restore's files are kept
 * in Rebound's own store and served from there); each location's status is Velero's
 * ({@code Available}, or {@code Unavailable} with the reason).
 */
class BackupStorageLocationsIT {

  private static final String ARCHIVE = "archive-bucket";
  private static final String PREFIX = "team-b";

  private static Pipeline pipeline;
  private static BackupUploader archive;

  @BeforeAll
  static void start() throws Exception {
    String kubeconfig = LocalServers.kube().adminKubeconfig().toString();
    Map<String, String> locations = Map.of("rebound.storage.locations.enabled", "true",
        "rebound.storage.locations.kubeconfig", kubeconfig, "rebound.storage.locations.refresh", "1s",
        "rebound.storage.locations.validation-frequency", "2s");
    pipeline = Pipeline.start("storage-locations", Map.of("status-reporter", locations, "restore-coordinator",
        locations));
    S3Server s3 = LocalServers.s3();
    s3.createBucket(ARCHIVE);
    archive = new BackupUploader(s3.endpoint(), S3Server.REGION, s3.accessKey(), s3.secretKey(), ARCHIVE);
    VendoredCrds.install(pipeline.kube, VendoredCrds.file("velero", "velero.io_backupstoragelocations.yaml"));
    if (pipeline.kube.namespaces().withName("velero").get() == null) {
      pipeline.kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("velero").endMetadata()
          .build()).create();
    }
    // Velero's credentials file, as `velero install --secret-file` stores it.
    pipeline.kube.secrets().inNamespace("velero").resource(new SecretBuilder().withNewMetadata()
        .withName("bsl-credentials").endMetadata().addToStringData("cloud", "[default]\naws_access_key_id = "
            + s3.accessKey() + "\naws_secret_access_key = " + s3.secretKey() + "\n").build()).createOr(x -> x.update());
    bsl("primary", ReboundServices.BUCKET, null, true, "ReadWrite");
    bsl("archive", ARCHIVE, PREFIX, false, "ReadOnly");
    bsl("broken", "no-such-bucket", null, false, "ReadWrite");

    pipeline.uploader.upload(backup("bsl-primary-backup", "bsl-app-a"), "");
    archive.upload(backup("bsl-archive-backup", "bsl-app-b"), PREFIX);
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      for (String name : List.of("primary", "archive", "broken")) {
        pipeline.kube.genericKubernetesResources("velero.io/v1", "BackupStorageLocation").inNamespace("velero")
            .withName(name).delete();
      }
      pipeline.close();
    }
    if (archive != null) {
      archive.close();
    }
  }

  private static dev.rebound.fixtures.VeleroBackup backup(String name, String namespace) {
    List<ObjectNode> items = new ArrayList<>(List.of(RealisticItems.namespace(namespace)));
    for (int i = 0; i < 20; i++) {
      items.add(RealisticItems.configMap(namespace, "cm-" + i, Map.of("i", String.valueOf(i))));
    }
    return VeleroBackupBuilder.named(name).items(items).build();
  }

  private static void bsl(String name, String bucket, String prefix, boolean isDefault, String accessMode) {
    Map<String, Object> objectStorage = new java.util.LinkedHashMap<>();
    objectStorage.put("bucket", bucket);
    if (prefix != null) {
      objectStorage.put("prefix", prefix);
    }
    GenericKubernetesResource bsl = new GenericKubernetesResource();
    bsl.setApiVersion("velero.io/v1");
    bsl.setKind("BackupStorageLocation");
    bsl.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace("velero")
        .build());
    bsl.setAdditionalProperty("spec", Map.of("provider", "aws", "objectStorage", objectStorage, "default", isDefault,
        "accessMode", accessMode, "credential", Map.of("name", "bsl-credentials", "key", "cloud"),
        "config", Map.of("region", S3Server.REGION, "s3ForcePathStyle", "true", "s3Url", LocalServers.s3().endpoint())));
    pipeline.kube.genericKubernetesResources("velero.io/v1", "BackupStorageLocation").inNamespace("velero")
        .resource(bsl).createOr(x -> x.update());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(String name) {
    GenericKubernetesResource r = pipeline.kube.genericKubernetesResources("velero.io/v1", "BackupStorageLocation")
        .inNamespace("velero").withName(name).get();
    return r == null ? Map.of() : (Map<String, Object>) r.getAdditionalProperties().getOrDefault("status", Map.of());
  }

  @Test
  void restoresFromTwoLocationsWorkAndNothingIsWrittenUnderTheReadOnlyOne() throws Exception {
    // Each location's status, as Velero's controller writes it.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
        "Available".equals(status("primary").get("phase")) && "Available".equals(status("archive").get("phase"))
            && "Unavailable".equals(status("broken").get("phase")));
    assertNotNull(status("primary").get("lastValidationTime"));
    assertNull(status("primary").get("message"));
    String broken = String.valueOf(status("broken").get("message"));
    assertTrue(broken.startsWith("BackupStorageLocation \"broken\" is unavailable: "), broken);
    assertTrue(broken.contains("NoSuchBucket") || broken.contains("does not exist"), broken);

    // The backups of both locations, each shown with its location, once the services read them Available.
    Map<String, String> locations = new java.util.TreeMap<>();
    JsonNode backups = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
      JsonNode list = pipeline.api.get("/api/v1/backups").json();
      locations.clear();
      for (JsonNode b : list.path("items")) {
        locations.put(b.path("metadata").path("name").asText(), b.path("spec").path("storageLocation").asText());
      }
      return list;
    }, list -> locations.containsKey("bsl-primary-backup") && locations.containsKey("bsl-archive-backup"));
    assertEquals("primary", locations.get("bsl-primary-backup"), backups.toString());
    assertEquals("archive", locations.get("bsl-archive-backup"), backups.toString());

    // A restore from each.
    for (String[] r : List.of(new String[] {"bsl-from-primary", "bsl-primary-backup"},
        new String[] {"bsl-from-archive", "bsl-archive-backup"})) {
      assertEquals(201, pipeline.api.submit("{\"metadata\": {\"name\": \"" + r[0] + "\"}, \"spec\": {\"backupName\": \""
          + r[1] + "\"}}", "application/json").status());
    }
    JsonNode fromPrimary = pipeline.api.awaitEnd("bsl-from-primary", Duration.ofMinutes(2), x -> {});
    JsonNode fromArchive = pipeline.api.awaitEnd("bsl-from-archive", Duration.ofMinutes(2), x -> {});
    assertEquals("Completed", fromPrimary.path("status").path("phase").asText(), fromPrimary.toString());
    assertEquals("Completed", fromArchive.path("status").path("phase").asText(), fromArchive.toString());
    assertEquals(20, pipeline.kube.configMaps().inNamespace("bsl-app-b").withLabel("velero.io/restore-name",
        "bsl-from-archive").list().getItems().size());
    JsonNode annotations = fromArchive.path("metadata").path("annotations");
    assertEquals("archive", annotations.path("rebound.dev/storage-location").asText(), fromArchive.toString());
    assertTrue(annotations.path("rebound.dev/files-location").isMissingNode(), "kept in Rebound's own store");
    assertEquals("primary", fromPrimary.path("metadata").path("annotations").path("rebound.dev/files-location")
        .asText(), fromPrimary.toString());

    // Nothing written under the ReadOnly location: only the backup there; the files in Rebound's own store.
    List<String> archived = archive.keys("");
    assertTrue(archived.stream().allMatch(k -> k.startsWith(PREFIX + "/backups/bsl-archive-backup/")), archived.toString());
    assertEquals(5, pipeline.uploader.keys("restores/bsl-from-archive/").size());
    assertEquals(5, pipeline.uploader.keys("restores/bsl-from-primary/").size());
    assertTrue(pipeline.api.get("bsl-from-archive", "logs").body().contains("Restored 21 items"),
        "the log, served from Rebound's own store");

    // Deleting it removes its files from where they are.
    assertEquals(200, pipeline.api.delete("bsl-from-archive").status());
    await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.api.get("bsl-from-archive", "").status() == 404);
    assertEquals(List.of(), pipeline.uploader.keys("restores/bsl-from-archive/"));
    assertEquals(archived, archive.keys(""));
  }
}
