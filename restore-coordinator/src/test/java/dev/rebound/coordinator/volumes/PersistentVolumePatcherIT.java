package dev.rebound.coordinator.volumes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.model.pipeline.PersistentVolumePatch;
import dev.rebound.model.velero.Result;
import dev.rebound.support.kube.TargetClusters;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.KubeServerResource;
import dev.rebound.testsupport.ManualClock;
import dev.rebound.testsupport.S3ServerResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reference 6.3 step 6 against the real kube-apiserver and its controller-manager's volume binder:
 * a restored claim is bound by the cluster to a new PersistentVolume (here one made beforehand, as
 * a provisioner would), which then gets the backed-up volume's reclaim policy and exactly its
 * labels; a claim waiting for its first consumer is skipped; one never bound ends with Velero's
 * error. (The same test resources as {@code RestorePlanningIT}, so one application serves both.)
 */
@QuarkusTest
@WithTestResource(S3ServerResource.class)
@WithTestResource(KafkaServerResource.class)
@WithTestResource(value = KubeServerResource.class, initArgs = @ResourceArg(name = "prefix", value = "rebound.coordinator"))
class PersistentVolumePatcherIT {

  @Inject TargetClusters clusters;

  private KubernetesClient kube;
  private String ns;
  private String id;

  @BeforeEach
  void cluster() {
    kube = clusters.defaultClient();
    id = UUID.randomUUID().toString().substring(0, 6);
    ns = "patch-" + id;
    kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
  }

  private String storageClass(String bindingMode) {
    String name = "patch-" + bindingMode.toLowerCase() + "-" + id;
    kube.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName(name)
        .endMetadata().withProvisioner("kubernetes.io/no-provisioner").withVolumeBindingMode(bindingMode).build())
        .create();
    return name;
  }

  private void claim(String name, String storageClass) {
    kube.persistentVolumeClaims().inNamespace(ns).resource(new PersistentVolumeClaimBuilder().withNewMetadata()
        .withName(name).endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(storageClass)
        .withNewResources().withRequests(Map.of("storage", new Quantity("1Gi"))).endResources().endSpec().build())
        .create();
  }

  private static PersistentVolumePatcher patcher(KubernetesClient kube, Duration timeout, Clock clock,
      PersistentVolumePatcher.Sleeper sleeper) {
    return new PersistentVolumePatcher(kube, timeout, Duration.ofMillis(200), clock, sleeper);
  }

  @Test
  void theBoundClaimsNewVolumeGetsTheBackedUpReclaimPolicyAndExactlyItsLabels() throws Exception {
    String sc = storageClass("Immediate");
    String pv = "pvc-new-" + id;
    // What a provisioner makes: its own labels, reclaim policy Delete.
    kube.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName(pv)
        .withLabels(Map.of("topology.kubernetes.io/zone", "eu-west-1a")).endMetadata().withNewSpec()
        .withCapacity(Map.of("storage", new Quantity("1Gi"))).withAccessModes("ReadWriteOnce")
        .withPersistentVolumeReclaimPolicy("Delete").withStorageClassName(sc).withNewHostPath().withPath("/tmp/" + pv)
        .endHostPath().endSpec().build()).create();
    claim("data", sc);

    PersistentVolumePatcher.Outcome out = patcher(kube, Duration.ofSeconds(90), Clock.systemUTC(),
        d -> Thread.sleep(d.toMillis())).patch(List.of(new PersistentVolumePatch(ns, "data", "pvc-0c1d", "Retain",
            Map.of("app", "orders", "backup.example.com/tier", "gold"))), () -> false);

    assertEquals(Result.empty(), out.errors(), out.log().toString());
    assertEquals(List.of("newly dynamically provisioned PV:" + pv + " has been patched using volume info"), out.log());
    PersistentVolume patched = kube.persistentVolumes().withName(pv).get();
    assertEquals("Retain", patched.getSpec().getPersistentVolumeReclaimPolicy());
    assertEquals(Map.of("app", "orders", "backup.example.com/tier", "gold"), patched.getMetadata().getLabels(),
        "Velero sets the labels to the backed-up ones");
  }

  @Test
  void aClaimWaitingForItsFirstConsumerIsSkippedAndOneNeverBoundEndsWithVelerosError() throws Exception {
    claim("waits", storageClass("WaitForFirstConsumer"));
    claim("never", storageClass("Immediate"));
    ManualClock clock = new ManualClock(Instant.parse("2026-12-05T10:00:00Z"));
    PersistentVolumePatcher.Outcome out = patcher(kube, Duration.ofMinutes(10), clock, clock::advance).patch(List.of(
            new PersistentVolumePatch(ns, "waits", "pvc-1", "Retain", Map.of()),
            new PersistentVolumePatch(ns, "never", "pvc-2", "Retain", Map.of())), () -> false);

    assertEquals(Map.of(ns, List.of("fail to patch dynamic PV, err: context deadline exceeded, PVC: never, PV: pvc-2")),
        out.errors().namespaces());
    assertEquals(1, out.log().size(), out.log().toString());
    assertTrue(out.log().get(0).startsWith("skipping PV patch to restore custom reclaim policy, if any: StorageClass "
        + "patch-waitforfirstconsumer-" + id + " used by PVC waits has VolumeBindingMode set to WaitForFirstConsumer"),
        out.log().get(0));
  }
}
