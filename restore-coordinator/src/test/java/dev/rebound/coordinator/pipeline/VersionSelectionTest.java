package dev.rebound.coordinator.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rebound.coordinator.order.RestorePriorities;
import dev.rebound.coordinator.plan.ApiResource;
import dev.rebound.coordinator.plan.GroupVersions;
import dev.rebound.coordinator.plan.PlannedItem;
import dev.rebound.coordinator.plan.ResourceCatalog;
import dev.rebound.coordinator.plan.RestorePlan;
import dev.rebound.coordinator.plan.RestorePlanner;
import dev.rebound.coordinator.plan.VolumeDecisions;
import dev.rebound.fixtures.VeleroTarballWriter;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.RestoreContext;
import dev.rebound.model.velero.RestoreSpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reference 3.9 end to end inside the coordinator: a HorizontalPodAutoscaler backed up from a
 * newer cluster (preferred {@code autoscaling/v2}, also {@code v1} with the backup-side feature) is
 * planned and published at the version a Kubernetes 1.20 target prefers, read from that version's
 * directory.
 */
class VersionSelectionTest {

  private static final String HPA = "horizontalpodautoscalers.autoscaling";

  private static final ResourceCatalog TARGET = new ResourceCatalog(List.of(
      new ApiResource("", "v1", "namespaces", "", "Namespace", false, List.of("ns")),
      new ApiResource("autoscaling", "v1", "horizontalpodautoscalers", "", "HorizontalPodAutoscaler", true,
          List.of("hpa"))),
      Map.of("", new GroupVersions.TargetGroup("v1", List.of("v1")),
          "autoscaling", new GroupVersions.TargetGroup("v1", List.of("v1", "v2beta1", "v2beta2"))));

  private static byte[] tarball() {
    String v2 = "{\"apiVersion\":\"autoscaling/v2\",\"kind\":\"HorizontalPodAutoscaler\",\"metadata\":{\"name\":\"web\","
        + "\"namespace\":\"shop\"},\"spec\":{\"minReplicas\":2,\"maxReplicas\":5,\"metrics\":[]}}";
    String v1 = "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"HorizontalPodAutoscaler\",\"metadata\":{\"name\":\"web\","
        + "\"namespace\":\"shop\"},\"spec\":{\"minReplicas\":2,\"maxReplicas\":5,\"targetCPUUtilizationPercentage\":80}}";
    return VeleroTarballWriter.toBytes(w -> {
      w.writeRawEntry("metadata/version", "1.1.0\n".getBytes(StandardCharsets.UTF_8));
      w.writeItem("namespaces", "v1", null, "shop", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}"
          .getBytes(StandardCharsets.UTF_8));
      w.writeItem(HPA, "v2", "shop", "web", v2.getBytes(StandardCharsets.UTF_8));
      w.writeNonPreferredVersion(HPA, "v1", "shop", "web", v1.getBytes(StandardCharsets.UTF_8));
    });
  }

  private static List<ItemTask> publish(RestorePlan plan) throws Exception {
    List<ItemTask> tasks = new ArrayList<>();
    WaveReader.Target target = new WaveReader.Target("r", "b", "default",
        new RestoreContext("u", RestoreSpec.fromBackup("b"), null), Map.of(), Map.of(), Map.of());
    new WaveReader(1 << 20, plan.versionDirs()).read(new ByteArrayInputStream(tarball()), target,
        ExecutionWave.of(plan), tasks::add);
    return tasks.stream().filter(t -> !t.groupResource().equals(ExecutionWave.NAMESPACES)).toList();
  }

  @Test
  void withTheFeatureTheTargetsPreferredVersionIsRestoredFromItsDirectory() throws Exception {
    RestorePlan plan = new RestorePlanner(TARGET, RestorePriorities.DEFAULT, 1 << 20).plan(
        RestoreSpec.fromBackup("b"), new ByteArrayInputStream(tarball()), VolumeDecisions.none(), Map.of());
    assertEquals(Map.of(HPA, "v1", "namespaces", "v1-preferredversion"), plan.versionDirs());
    PlannedItem hpa = plan.items().stream().filter(i -> i.groupResource().equals(HPA)).findFirst().orElseThrow();
    assertEquals("autoscaling/v1/HorizontalPodAutoscaler", hpa.resourceListKey());
    List<ItemTask> tasks = publish(plan);
    ItemTask task = tasks.stream().filter(t -> t.groupResource().equals(HPA)).findFirst().orElseThrow();
    assertEquals("autoscaling/v1", task.object().path("apiVersion").asText());
    assertEquals(80, task.object().at("/spec/targetCPUUtilizationPercentage").asInt());
  }

  @Test
  void withoutTheFeatureTheLegacyPathsVersionIsRestored() throws Exception {
    RestorePlan plan = new RestorePlanner(TARGET, RestorePriorities.DEFAULT, 1 << 20).plan(
        RestoreSpec.fromBackup("b"), new ByteArrayInputStream(tarball()), VolumeDecisions.none());
    assertEquals(Map.of(), plan.versionDirs());
    ItemTask task = publish(plan).stream().filter(t -> t.groupResource().equals(HPA)).findFirst().orElseThrow();
    assertEquals("autoscaling/v2", task.object().path("apiVersion").asText());
  }
}
