package dev.rebound.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.servers.LocalServers;
import dev.rebound.servers.S3Server;
import dev.rebound.testsupport.VendoredCrds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link StorageLocations} against the real kube-apiserver with Velero's BSL CRD and the real S3
 * server: a location's clients live as long as its settings do. Velero's BSL CRD has no status
 * subresource, so every status write (Rebound's validation, every minute) changes the object's
 * resourceVersion and generation; a restore reading a backup through the location meanwhile must
 * not find its client closed under it ("Connection pool shut down", found by CI).
 */
class StorageLocationsIT {

  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
  private static final String NAMESPACE = "velero-sl-" + SUFFIX;
  private static final String BUCKET = "sl-" + SUFFIX;

  private static KubernetesClient kube;
  private static S3Client s3;
  private static S3Presigner presigner;
  private static StorageLocations locations;

  @BeforeAll
  static void start() throws Exception {
    S3Server server = LocalServers.s3();
    server.createBucket(BUCKET);
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(),
        server.secretKey()));
    s3 = S3Client.builder().httpClientBuilder(ApacheHttpClient.builder()).region(Region.of(S3Server.REGION))
        .credentialsProvider(credentials).forcePathStyle(true).endpointOverride(URI.create(server.endpoint())).build();
    presigner = S3Presigner.builder().region(Region.of(S3Server.REGION)).credentialsProvider(credentials)
        .endpointOverride(URI.create(server.endpoint())).build();
    BackupStore home = new BackupStore(s3, presigner, BUCKET, null);
    home.put("backups/nightly/velero-backup.json", "{}".getBytes(StandardCharsets.UTF_8));
    home.put("team/backups/weekly/velero-backup.json", "{}".getBytes(StandardCharsets.UTF_8));

    Path kubeconfig = LocalServers.kube().adminKubeconfig();
    kube = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    VendoredCrds.install(kube, VendoredCrds.file("velero", "velero.io_backupstoragelocations.yaml"));
    kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    kube.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("cloud")
        .endMetadata().addToStringData("cloud", "[default]\naws_access_key_id = " + server.accessKey()
            + "\naws_secret_access_key = " + server.secretKey() + "\n").build()).create();
    locations = new StorageLocations(home, config(kubeconfig));
  }

  @AfterAll
  static void stop() {
    if (locations != null) {
      locations.stop(null);
    }
    if (kube != null) {
      kube.namespaces().withName(NAMESPACE).delete();
      kube.close();
    }
    if (s3 != null) {
      s3.close();
      presigner.close();
    }
  }

  @Test
  void aStatusWriteKeepsTheLocationsClientsAndAChangedSpecLeavesTheReplacedOnesWorking() throws Exception {
    bsl(null);
    BackupStore first = locations.storeOf("primary");
    assertTrue(first.backupMetadata("nightly").isPresent());

    // The status-reporter's validation writes the status: the same clients serve on.
    kube.genericKubernetesResources("velero.io/v1", "BackupStorageLocation").inNamespace(NAMESPACE).withName("primary")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\": {\"phase\": \"Available\", "
            + "\"lastValidationTime\": \"2026-12-06T10:00:00Z\"}}");
    Thread.sleep(5); // past the refresh interval (1 ms)
    assertEquals("Available", locations.named("primary").orElseThrow().phase());
    assertSame(first, locations.storeOf("primary"));

    // A changed spec makes new clients; a read under way through the old ones still completes.
    bsl("team");
    Thread.sleep(5);
    BackupStore changed = locations.storeOf("primary");
    assertNotSame(first, changed);
    assertTrue(changed.backupMetadata("weekly").isPresent(), "read at the new prefix");
    assertEquals(Optional.of("{}"), first.backupMetadata("nightly").map(b -> new String(b, StandardCharsets.UTF_8)),
        "the replaced store still reads");

    // A location deleted: its clients too are kept for the reads under way.
    kube.genericKubernetesResources("velero.io/v1", "BackupStorageLocation").inNamespace(NAMESPACE).withName("primary")
        .delete();
    Thread.sleep(5);
    assertTrue(locations.named("primary").isEmpty());
    assertTrue(changed.backupMetadata("weekly").isPresent());
  }

  private static void bsl(String prefix) {
    Map<String, Object> objectStorage = new LinkedHashMap<>(Map.of("bucket", BUCKET));
    if (prefix != null) {
      objectStorage.put("prefix", prefix);
    }
    GenericKubernetesResource bsl = new GenericKubernetesResource();
    bsl.setApiVersion("velero.io/v1");
    bsl.setKind("BackupStorageLocation");
    bsl.setMetadata(new ObjectMetaBuilder().withName("primary").withNamespace(NAMESPACE).build());
    bsl.setAdditionalProperty("spec", Map.of("provider", "aws", "default", true, "objectStorage", objectStorage,
        "credential", Map.of("name", "cloud", "key", "cloud"), "config", Map.of("region", S3Server.REGION,
            "s3ForcePathStyle", "true", "s3Url", LocalServers.s3().endpoint())));
    var existing = kube.genericKubernetesResources("velero.io/v1", "BackupStorageLocation").inNamespace(NAMESPACE)
        .withName("primary").get();
    if (existing == null) {
      kube.genericKubernetesResources("velero.io/v1", "BackupStorageLocation").inNamespace(NAMESPACE).resource(bsl)
          .create();
    } else {
      existing.setAdditionalProperty("spec", bsl.getAdditionalProperties().get("spec"));
      kube.genericKubernetesResources("velero.io/v1", "BackupStorageLocation").inNamespace(NAMESPACE)
          .resource(existing).update();
    }
  }

  private static StorageConfig config(Path kubeconfig) {
    StorageConfig.Locations settings = new StorageConfig.Locations() {
      @Override
      public boolean enabled() {
        return true;
      }

      @Override
      public Optional<Path> kubeconfig() {
        return Optional.of(kubeconfig);
      }

      @Override
      public String namespace() {
        return NAMESPACE;
      }

      @Override
      public Duration refresh() {
        return Duration.ofMillis(1);
      }

      @Override
      public Duration validationFrequency() {
        return Duration.ofMinutes(1);
      }
    };
    return new StorageConfig() {
      @Override
      public String bucket() {
        return BUCKET;
      }

      @Override
      public Optional<String> prefix() {
        return Optional.empty();
      }

      @Override
      public String locationName() {
        return "default";
      }

      @Override
      public Locations locations() {
        return settings;
      }
    };
  }
}
