package dev.rebound.coordinator.volumes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rebound.model.Json;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.RestoreEvent.VolumeOperation;
import dev.rebound.support.kube.TargetClusters;
import dev.rebound.support.kube.VeleroResources;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.KubeServerResource;
import dev.rebound.testsupport.ManualClock;
import dev.rebound.testsupport.S3ServerResource;
import dev.rebound.testsupport.VendoredCrds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reference 6.2 and 6.5 against the real kube-apiserver with Velero's PodVolumeRestore CRD: the
 * wait reads the PodVolumeRestores the volume-restorer updates and reports each as an item
 * operation; one still running past the restore's {@code itemOperationTimeout} fails with Velero's
 * "Asynchronous action timed out", and the pod-volume timeout ends the rest. Time is a test clock
 * that the wait's sleeps advance. (The same test resources as {@code RestorePlanningIT}, so the
 * application started for one serves both.)
 */
@QuarkusTest
@WithTestResource(S3ServerResource.class)
@WithTestResource(KafkaServerResource.class)
@WithTestResource(value = KubeServerResource.class, initArgs = @ResourceArg(name = "prefix", value = "rebound.coordinator"))
class PodVolumeWaiterIT {

  private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

  @Inject TargetClusters clusters;

  private KubernetesClient kube;
  private String velero;
  private final ManualClock clock = new ManualClock(T0);

  @BeforeEach
  void cluster() {
    kube = clusters.defaultClient();
    VendoredCrds.install(kube, VendoredCrds.file("velero", "velero.io_podvolumerestores.yaml"));
    velero = "velero-" + UUID.randomUUID().toString().substring(0, 6);
    kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(velero).endMetadata().build()).create();
  }

  private void pvr(String name, String volume, Map<String, Object> status) {
    GenericKubernetesResource pvr = new GenericKubernetesResource();
    pvr.setApiVersion("velero.io/v1");
    pvr.setKind("PodVolumeRestore");
    pvr.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(velero).build());
    pvr.setAdditionalProperty("spec", Map.of("pod", Map.of("kind", "Pod", "namespace", "shop", "name", "db-0"),
        "volume", volume, "backupStorageLocation", "default", "repoIdentifier", "s3:http://s3/velero/restic/shop",
        "uploaderType", "restic", "snapshotID", "8f3c2a1b", "sourceNamespace", "shop"));
    pvr.setAdditionalProperty("status", status);
    kube.genericKubernetesResources(VeleroResources.PODVOLUMERESTORES).inNamespace(velero).resource(pvr).create();
  }

  private PodVolumeWaiter waiter(Duration podVolumeTimeout) {
    return new PodVolumeWaiter(kube, velero, podVolumeTimeout, Duration.ofSeconds(30), clock, clock::advance);
  }

  @Test
  void eachPodVolumeRestoreIsAnItemOperationAndOneRunningPastItsTimeoutFailsAsVeleroSays() throws Exception {
    pvr("r1-bcdfg", "data", Map.of("phase", "Completed", "startTimestamp", "2026-12-05T10:00:02Z",
        "completionTimestamp", "2026-12-05T10:00:09Z", "progress", Map.of("totalBytes", 8000, "bytesDone", 8000)));
    pvr("r1-hjklm", "logs", Map.of("phase", "Failed", "message", "error restoring volume logs: wrong password",
        "startTimestamp", "2026-12-05T10:00:01Z", "progress", Map.of("totalBytes", 4096)));
    pvr("r1-npqrs", "cache", Map.of("phase", "InProgress", "startTimestamp", "2026-12-05T10:00:03Z",
        "progress", Map.of("totalBytes", 1000000, "bytesDone", 2048)));

    PodVolumeWaiter.Outcome out = waiter(Duration.ofMinutes(240)).await(new ItemKey("v1/Pod", "shop", "db-0"),
        List.of("r1-bcdfg", "r1-hjklm", "r1-npqrs"), T0, Duration.ofMinutes(1), () -> false);

    assertEquals(List.of("pod volume restore failed: error restoring volume logs: wrong password",
        "error from restore item operation: Asynchronous action timed out"), out.errors());
    assertEquals(1, out.completed());
    assertEquals(8000, out.bytes());
    assertEquals(T0.plus(Duration.ofMinutes(1)), clock.instant(), "given up at the operation timeout, not later");
    List<VolumeOperation> ops = out.operations();
    assertEquals(List.of("Completed", "Failed", "Failed"), ops.stream().map(VolumeOperation::phase).toList());
    assertEquals(new VolumeOperation("r1-bcdfg", "shop", "db-0", "data", "Completed", null, 8000, 8000,
        ops.get(0).created(), Instant.parse("2026-12-05T10:00:02Z"), Instant.parse("2026-12-05T10:00:09Z")), ops.get(0));
    assertEquals("error restoring volume logs: wrong password", ops.get(1).error());
    assertEquals(new VolumeOperation("r1-npqrs", "shop", "db-0", "cache", "Failed", "Asynchronous action timed out",
        2048, 1000000, ops.get(2).created(), Instant.parse("2026-12-05T10:00:03Z"),
        Instant.parse("2026-12-05T10:00:03Z")), ops.get(2));
    Instant created = Instant.parse(kube.genericKubernetesResources(VeleroResources.PODVOLUMERESTORES)
        .inNamespace(velero).withName("r1-bcdfg").get().getMetadata().getCreationTimestamp());
    assertEquals(created, ops.get(0).created(), "created is the PodVolumeRestore's creation");
    Json.mapper().writeValueAsString(ops); // the event travels as JSON
  }

  @Test
  void thePodVolumeTimeoutEndsWhatStillRunsWithVelerosErrorAndAMissingOneIsNamed() throws Exception {
    pvr("r2-bcdfg", "data", Map.of("phase", "InProgress"));
    PodVolumeWaiter.Outcome out = waiter(Duration.ofMinutes(2)).await(new ItemKey("v1/Pod", "shop", "db-0"),
        List.of("r2-bcdfg", "r2-gone"), T0, Duration.ofHours(4), () -> false);
    assertEquals(List.of("pod volume restore failed: podvolumerestores.velero.io \"r2-gone\" not found",
        "timed out waiting for all PodVolumeRestores to complete"), out.errors());
    assertEquals(List.of("timed out waiting for all PodVolumeRestores to complete",
        "podvolumerestores.velero.io \"r2-gone\" not found"),
        out.operations().stream().map(VolumeOperation::error).toList());
    assertEquals(0, out.completed());
  }
}
