package dev.rebound.itemrestorer.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.support.kube.TargetClusters;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.KubeServerResource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The item-restorer's target-cluster clients against the real kube-apiserver: the server behaviours
 * a restore depends on, which fabric8's mock server does not reproduce.
 */
@QuarkusTest
@WithTestResource(KafkaServerResource.class)
@WithTestResource(value = KubeServerResource.class,
    initArgs = @ResourceArg(name = "prefix", value = "rebound.item-restorer"))
class KubeApiServerIT {

  @Inject TargetClusters clusters;

  @Test
  void createsANamespaceAndAConfigMapAndRejectsTheSameConfigMapAgainWithAlreadyExists() {
    KubernetesClient kube = clusters.defaultClient();
    String ns = uniqueNamespace(kube);
    ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("app-config").withNamespace(ns).endMetadata()
        .withData(Map.of("greeting", "hello")).build();

    kube.configMaps().inNamespace(ns).resource(cm).create();
    assertEquals("hello", kube.configMaps().inNamespace(ns).withName("app-config").get().getData().get("greeting"));

    KubernetesClientException again =
        assertThrows(KubernetesClientException.class, () -> kube.configMaps().inNamespace(ns).resource(cm).create());
    assertEquals(409, again.getCode());
    assertEquals("AlreadyExists", again.getStatus().getReason());
  }

  @Test
  void creatingInAMissingNamespaceIsNotFound() {
    ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("orphan").withNamespace("no-such-ns-" + suffix())
        .endMetadata().build();
    KubernetesClientException e = assertThrows(KubernetesClientException.class,
        () -> clusters.defaultClient().configMaps().resource(cm).create());
    assertEquals(404, e.getCode());
  }

  @Test
  void serviceRequestingAnAllocatedNodePortIsRejected() {
    KubernetesClient kube = clusters.defaultClient();
    String ns = uniqueNamespace(kube);
    Service first = kube.services().inNamespace(ns).resource(nodePortService(ns, "web", null)).create();
    int allocated = first.getSpec().getPorts().get(0).getNodePort();
    assertTrue(allocated >= 30000 && allocated <= 32767, "auto-assigned nodePort " + allocated);

    KubernetesClientException e = assertThrows(KubernetesClientException.class,
        () -> kube.services().inNamespace(ns).resource(nodePortService(ns, "web-copy", allocated)).create());
    assertEquals(422, e.getCode());
    assertTrue(e.getMessage().contains("provided port is already allocated"), e.getMessage());
  }

  @Test
  void restrictedUserIsForbiddenToCreateANamespace() {
    KubernetesClient restricted = clusters.client("restricted");
    KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> restricted.namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("denied-" + suffix()).endMetadata().build())
        .create());
    assertEquals(403, e.getCode());
    assertEquals("Forbidden", e.getStatus().getReason());
  }

  /**
   * Why a restore needs two requests per object (issue 15 scope 1, reference 3.6 step 18): a create
   * cannot carry the backup's managedFields. The server records the create as the creating manager's
   * update of every field it sets, which takes those fields from every entry the body brought, and
   * stamps the time of now; only a later patch of {@code metadata.managedFields} alone, which changes
   * no field, leaves them exactly as backed up.
   */
  @Test
  void aCreateCannotCarryTheBackupsManagedFieldsOnlyAPatchRestoresThem() {
    KubernetesClient kube = clusters.defaultClient();
    String ns = uniqueNamespace(kube);
    ManagedFieldsEntry helm = new ManagedFieldsEntryBuilder().withManager("helm").withOperation("Update")
        .withApiVersion("v1").withTime("2024-05-01T10:00:00Z").withFieldsType("FieldsV1")
        .withNewFieldsV1().addToAdditionalProperties("f:data", Map.of(".", Map.of(), "f:mode", Map.of()))
        .addToAdditionalProperties("f:metadata", Map.of("f:labels", Map.of(".", Map.of(), "f:app", Map.of())))
        .endFieldsV1().build();
    ConfigMap backedUp = new ConfigMapBuilder().withNewMetadata().withName("owned").withNamespace(ns)
        .addToLabels("app", "web").withManagedFields(helm).endMetadata().withData(Map.of("mode", "fast")).build();

    ConfigMap created = kube.configMaps().inNamespace(ns).resource(backedUp).create();
    List<ManagedFieldsEntry> afterCreate = created.getMetadata().getManagedFields();
    assertEquals(1, afterCreate.size(), afterCreate.toString());
    assertNotEquals("helm", afterCreate.get(0).getManager(), "helm's entry lost every field to the creator");
    assertEquals(helm.getFieldsV1(), afterCreate.get(0).getFieldsV1(), "the creator owns what helm owned");
    assertNotEquals(helm.getTime(), afterCreate.get(0).getTime());

    ConfigMap patched = kube.configMaps().inNamespace(ns).withName("owned").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\": {\"managedFields\": " + Serialization.asJson(List.of(helm)) + "}}");
    assertEquals(List.of(helm), patched.getMetadata().getManagedFields(), "exactly the backup's, time included");
    assertEquals(Map.of("mode", "fast"), patched.getData());
  }

  @Test
  void unknownClusterNameIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> clusters.client("eu-west"));
    assertEquals("unknown target cluster \"eu-west\"; configured clusters: [default, restricted]", e.getMessage());
  }

  private static Service nodePortService(String ns, String name, Integer nodePort) {
    return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withNewSpec().withType("NodePort").withSelector(Map.of("app", name))
        .addNewPort().withPort(80).withNodePort(nodePort).endPort()
        .endSpec().build();
  }

  private static String uniqueNamespace(KubernetesClient kube) {
    String ns = "it-" + suffix();
    kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    return ns;
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
