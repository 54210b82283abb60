package dev.rebound.itemrestorer.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.snapshots.VolumeSnapshotters;
import dev.rebound.model.Json;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.RestoreEvent.ItemRestored;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.servers.LocalServers;
import dev.rebound.testsupport.proxy.FaultProxy;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Creates that the real API server did but whose answers never reached the item-restorer (held past
 * its request timeout by the fault proxy, then dropped). The retried create meets AlreadyExists; the
 * object must still count as created by this restore, once.
 */
class LostAnswersIT {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration HELD = REQUEST_TIMEOUT.plusSeconds(2);

  private static FaultProxy proxy;
  private static KubernetesClient direct;
  private static KubernetesClient proxied;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    proxy = FaultProxy.start(LocalServers.kube());
    direct = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(
        Files.readString(LocalServers.kube().adminKubeconfig()))).build();
    proxied = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(
        Files.readString(proxy.kubeconfig(dir.resolve("proxy.kubeconfig"))))).build();
  }

  @AfterAll
  static void stop() throws Exception {
    proxied.close();
    direct.close();
    proxy.close();
  }

  private static ItemRestored restore(String restore, String groupResource, String namespace, ObjectNode object) {
    ItemRestore restorer = TestRestorers.itemRestore(proxied, "velero", VolumeSnapshotters.builtIn(), REQUEST_TIMEOUT);
    return restorer.restore(TestRestorers.task(restore, groupResource, namespace, object,
        RestoreSpec.fromBackup("nightly"), null, null));
  }

  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) Json.mapper().readTree(text);
  }

  @Test
  void aNamespaceWhoseCreateAnswerWasLostCountsAsCreated() throws Exception {
    String name = "lost-ns-" + UUID.randomUUID().toString().substring(0, 8);
    proxy.holdNextAnswer("POST", "/api/v1/namespaces", HELD);
    long heldBefore = proxy.counts().held();
    ItemRestored result = restore("lost-1", "namespaces", null, json("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
        + "\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"team\":\"a\"}}}"));
    assertEquals(heldBefore + 1, proxy.counts().held(), "the create's answer was held and dropped");
    assertEquals(ItemAction.CREATED, result.action(), result.toString());
    assertTrue(result.log().stream().anyMatch(l -> l.contains("the answer to the create was lost")), result.log().toString());
    assertNotNull(direct.namespaces().withName(name).get());
  }

  @Test
  void aConfigMapWhoseCreateAnswerWasLostCountsAsCreatedOnce() throws Exception {
    String ns = "lost-cm-" + UUID.randomUUID().toString().substring(0, 8);
    direct.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    proxy.holdNextAnswer("POST", "/api/v1/namespaces/" + ns + "/configmaps", HELD);
    ItemRestored result = restore("lost-3", "configmaps", ns, json("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
        + "\"metadata\":{\"name\":\"settings\",\"namespace\":\"" + ns + "\"},\"data\":{\"mode\":\"backup\"}}"));
    assertEquals(ItemAction.CREATED, result.action(), result.toString());
    assertEquals("lost-3", direct.configMaps().inNamespace(ns).withName("settings").get().getMetadata().getLabels()
        .get("velero.io/restore-name"));
  }
}
