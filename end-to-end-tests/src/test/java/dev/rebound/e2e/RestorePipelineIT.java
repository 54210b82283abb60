package dev.rebound.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.examplerestore.BackupUploader;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.servers.LocalServers;
import dev.rebound.servers.ReboundServices;
import dev.rebound.servers.S3Server;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The four services as separate processes, with the real broker, S3 server and kube-apiserver:
 * a Velero backup in S3 restored through the API into the cluster.
 */
class RestorePipelineIT {

  private static ReboundServices services;
  private static RestoreApi api;
  private static BackupUploader uploader;
  private static KubernetesClient kube;

  @BeforeAll
  static void start() throws Exception {
    Path root = Path.of(System.getProperty("rebound.project.root"));
    S3Server s3 = LocalServers.s3();
    s3.createBucket(ReboundServices.BUCKET);
    services = ReboundServices.start(root, LocalServers.runDir().resolve("pipeline"), LocalServers.kafka(), s3,
        LocalServers.kube());
    api = new RestoreApi(services.get("status-reporter").url());
    uploader = new BackupUploader(s3.endpoint(), S3Server.REGION, s3.accessKey(), s3.secretKey(),
        ReboundServices.BUCKET);
    kube = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(
        Files.readString(LocalServers.kube().adminKubeconfig()))).build();
  }

  @AfterAll
  static void stop() {
    if (services != null) {
      services.close();
    }
    if (uploader != null) {
      uploader.close();
    }
    if (kube != null) {
      kube.close();
    }
  }

  @Test
  void aSmallBackupIsRestoredWithANamespaceMapping() throws Exception {
    List<ObjectNode> items = new ArrayList<>();
    items.add(RealisticItems.namespace("small"));
    for (int i = 0; i < 20; i++) {
      items.add(RealisticItems.configMap("small", "settings-" + i, Map.of("key", "value-" + i)));
    }
    items.add(RealisticItems.secret("small", "credentials", Map.of("password", "c2VjcmV0")));
    uploader.upload(VeleroBackupBuilder.named("small").items(items).build(), "");

    RestoreApi.Answer submitted = api.submit("""
        {"apiVersion": "velero.io/v1", "kind": "Restore", "metadata": {"name": "small-1"},
         "spec": {"backupName": "small", "namespaceMapping": {"small": "small-restored"}}}""", "application/json");
    assertEquals(201, submitted.status(), submitted.body());
    assertEquals("New", submitted.json().path("status").path("phase").asText());

    JsonNode restore = api.awaitEnd("small-1", Duration.ofMinutes(2), r -> {});
    assertEquals("Completed", restore.path("status").path("phase").asText(), restore.toString());
    assertEquals(22, restore.path("status").path("progress").path("itemsRestored").asInt(), restore.toString());
    assertEquals(22, restore.path("status").path("progress").path("totalItems").asInt());
    ConfigMap cm = kube.configMaps().inNamespace("small-restored").withName("settings-7").get();
    assertEquals("value-7", cm.getData().get("key"));
    assertEquals("small-1", cm.getMetadata().getLabels().get("velero.io/restore-name"));
    assertEquals("small", cm.getMetadata().getLabels().get("velero.io/backup-name"));
    JsonNode resources = api.get("small-1", "resources").json();
    assertEquals(20, resources.path("v1/ConfigMap").size(), resources.toString());
    assertEquals("small-restored/settings-0(created)", resources.path("v1/ConfigMap").get(0).asText());
    assertEquals("small-restored(created)", resources.path("v1/Namespace").get(0).asText());
    assertFalse(api.get("small-1", "logs").body().isEmpty());
    assertNull(restore.path("status").get("errors"));
  }
}
