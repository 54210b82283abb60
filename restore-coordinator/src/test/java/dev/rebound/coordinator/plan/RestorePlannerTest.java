package dev.rebound.coordinator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.coordinator.order.RestorePriorities;
import dev.rebound.fixtures.VeleroBackup;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.fixtures.VeleroTarballWriter;
import dev.rebound.model.Json;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestoreSpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reference 3.2-3.5: selection, order and waves of a realistic backup. */
class RestorePlannerTest {

  private static VeleroBackup backup;

  @BeforeAll
  static void buildBackup() {
    backup = SampleBackup.build();
  }

  static RestorePlan plan(String specYaml) throws Exception {
    return plan(specYaml, RestorePriorities.DEFAULT, backup.tarball());
  }

  static RestorePlan plan(String specYaml, RestorePriorities priorities, byte[] tarball) throws Exception {
    RestoreSpec spec = Json.yaml().readValue("spec:\n" + ("backupName: b\n" + specYaml).indent(2), Restore.class).spec();
    return new RestorePlanner(Catalogs.K8S_1_20, priorities, 1 << 20).plan(spec, new ByteArrayInputStream(tarball));
  }

  static List<String> waveNames(RestorePlan plan) {
    return plan.waves().stream().map(Wave::name).toList();
  }

  @Test
  void fullRestoreIsCrdsFirstThenVelerosPrioritiesThenUnlistedResourcesTogether() throws Exception {
    RestorePlan plan = plan("");
    assertEquals(List.of("customresourcedefinitions.apiextensions.k8s.io", "namespaces", "persistentvolumes",
        "persistentvolumeclaims", "serviceaccounts", "secrets", "configmaps", "pods", "replicasets.apps", "services",
        RestorePlanner.UNLISTED), waveNames(plan));
    assertTrue(plan.waves().get(0).waitForCrdsEstablished(), "3.6 step 21: CRDs established before the next wave");
    assertEquals(List.of("deployments.apps", "widgets.shop.example.com"), plan.waves().get(10).groupResources());
    assertEquals(new TreeSet<>(List.of("guestbook", "nginx-example", "shop")), plan.targetNamespaces());
    assertEquals(backup.items().size() - 2, plan.totalItems(), "the completed pod and job are never restored");
    assertTrue(plan.errors().isEmpty() && plan.warnings().isEmpty());
  }

  @Test
  void completedPodsAndJobsAreLeftOutButMirrorPodsArePlannedForTheItemRestorerToSkip() throws Exception {
    List<String> names = plan("").items().stream().map(PlannedItem::name).toList();
    assertTrue(names.contains("static-web-node-1"));
    assertTrue(!names.contains("migrate-db-x7k2p") && !names.contains("migrate-db"), names.toString());
  }

  @Test
  void itemsOfAWaveAreOrderedByNamespaceThenName() throws Exception {
    Wave pods = plan("").waves().get(7);
    List<String> keys = pods.items().stream().map(i -> i.sourceNamespace() + "/" + i.name()).toList();
    assertEquals(keys.stream().sorted().toList(), keys);
  }

  @Test
  void namespaceFilterWithMappingSkipsClusterScopedItemsAndMapsTargets() throws Exception {
    RestorePlan plan = plan("includedNamespaces: [shop]\nnamespaceMapping: {shop: shop-dr}\n");
    // 3.3.5: no CRDs or namespaces without includeClusterResources; the bound claims' volumes come
    // anyway, as the claims' additional items (3.3, last paragraph).
    assertEquals(List.of("persistentvolumes", "persistentvolumeclaims", "serviceaccounts", "secrets", "configmaps",
        "pods", RestorePlanner.UNLISTED), waveNames(plan));
    assertEquals(new TreeSet<>(Set.of("shop-dr")), plan.targetNamespaces());
    assertTrue(plan.items().stream().allMatch(i -> i.groupResource().equals("persistentvolumes")
        || "shop".equals(i.sourceNamespace()) && "shop-dr".equals(i.targetNamespace())));
  }

  @Test
  void includeClusterResourcesBringsTheCrdPvAndOnlyTheSelectedNamespaceObject() throws Exception {
    RestorePlan plan = plan("includedNamespaces: [shop]\nincludeClusterResources: true\n");
    assertEquals("customresourcedefinitions.apiextensions.k8s.io", waveNames(plan).get(0));
    assertEquals(List.of("shop"), plan.waves().get(1).items().stream().map(PlannedItem::name).toList());
    assertTrue(waveNames(plan).contains("persistentvolumes"));
  }

  @Test
  void resourceIncludesResolveThroughDiscovery() throws Exception {
    assertEquals(List.of("secrets", "configmaps"), waveNames(plan("includedResources: [cm, secret]\n")));
  }

  @Test
  void labelSelectorAppliesToEveryItem() throws Exception {
    RestorePlan plan = plan("labelSelector: {matchLabels: {tier: premium}}\n");
    assertEquals(List.of("shop/red"), plan.items().stream().map(i -> i.sourceNamespace() + "/" + i.name()).toList());
  }

  @Test
  void customPrioritiesReorderTheWaves() throws Exception {
    RestorePlan plan = plan("includedResources: [configmaps, secrets, services]\n",
        RestorePriorities.parse("services,-,configmaps"), backup.tarball());
    assertEquals(List.of("services", RestorePlanner.UNLISTED, "configmaps"), waveNames(plan));
  }

  @Test
  void backupWithoutResourcesGivesVelerosZeroItemsWarning() throws Exception {
    VeleroBackup empty = VeleroBackupBuilder.named("empty").withoutResourcesDir().build();
    RestorePlan plan = plan("", RestorePriorities.DEFAULT, empty.tarball());
    assertEquals(List.of("zero items to be restored: directory \"resources\" does not exist"), plan.warnings().velero());
    assertEquals(0, plan.totalItems());
    assertTrue(plan.errors().isEmpty());
  }

  @Test
  void itemWithInvalidJsonIsAnErrorInItsTargetNamespaceAndTheRestIsPlanned() throws Exception {
    byte[] good = Json.mapper().writeValueAsBytes(
        Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "good", "namespace", "shop")));
    byte[] tarball = VeleroTarballWriter.toBytes(w -> {
      w.writeItem("configmaps", "v1", "shop", "good", good);
      w.writeItem("configmaps", "v1", "shop", "broken", "{\"apiVersion\": \"v1\", \"kind\": ".getBytes(StandardCharsets.UTF_8));
      w.writeItem("persistentvolumes", "v1", null, "not-an-object", "[1, 2]".getBytes(StandardCharsets.UTF_8));
    });
    RestorePlan plan = plan("namespaceMapping: {shop: shop-dr}\n", RestorePriorities.DEFAULT, tarball);
    assertEquals(List.of("good"), plan.items().stream().map(PlannedItem::name).toList());
    List<String> nsErrors = plan.errors().namespaces().get("shop-dr");
    assertEquals(1, nsErrors.size());
    assertTrue(nsErrors.get(0).startsWith("error decoding \"resources/configmaps/namespaces/shop/broken.json\": "), nsErrors.get(0));
    assertEquals(List.of("error decoding \"resources/persistentvolumes/cluster/not-an-object.json\": "
        + "not a Kubernetes object (apiVersion and kind required)"), plan.errors().cluster());
  }

  @Test
  void itemOverTheSizeLimitIsAnErrorAndNothingElseIsLost() throws Exception {
    byte[] huge = ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":{\"x\":\"" + "a".repeat(2_000_000) + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
    byte[] tarball = VeleroTarballWriter.toBytes(w -> {
      w.writeItem("configmaps", "v1", "shop", "huge", huge);
      w.writeItem("configmaps", "v1", "shop", "small", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}".getBytes(StandardCharsets.UTF_8));
    });
    RestorePlan plan = plan("", RestorePriorities.DEFAULT, tarball);
    assertEquals(List.of("small"), plan.items().stream().map(PlannedItem::name).toList());
    assertEquals(List.of("error decoding \"resources/configmaps/namespaces/shop/huge.json\": item is " + huge.length + " bytes, "
        + "over the limit of 1048576 bytes"), plan.errors().namespaces().get("shop"));
  }

  /** Reference 3.6 step 17: restoreStatus names resources as the filters do; they are resolved the same way. */
  @Test
  void restoreStatusResourcesAreResolvedThroughDiscovery() {
    RestorePlanner planner = new RestorePlanner(Catalogs.K8S_1_20, RestorePriorities.parse(""), 1 << 20);
    assertEquals(new RestoreSpec.RestoreStatusSpec(List.of("deployments.apps", "*"), List.of("pods")),
        planner.resolve(new RestoreSpec.RestoreStatusSpec(List.of("deployments", "*"), List.of("po"))));
    assertEquals(null, planner.resolve(null));
  }

  /**
   * Reference 3.6 step 8: the pod action asks for the pod's PriorityClass before the pod. Velero's
   * priorities restore pods before unlisted resources, so the PriorityClass moves into a wave of
   * additional items just before the pods; the pod's claim already comes earlier and stays.
   */
  @Test
  void aPodsPriorityClassIsRestoredBeforeThePod() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode pod = RealisticItems.mirrorPod("shop", "web-0");
    pod.with("metadata").with("annotations").remove("kubernetes.io/config.mirror");
    pod.with("spec").put("priorityClassName", "business-critical");
    pod.with("spec").putArray("volumes").addObject().put("name", "data").putObject("persistentVolumeClaim")
        .put("claimName", "data");
    com.fasterxml.jackson.databind.node.ObjectNode priorityClass = (com.fasterxml.jackson.databind.node.ObjectNode)
        Json.mapper().readTree("{\"apiVersion\":\"scheduling.k8s.io/v1\",\"kind\":\"PriorityClass\",\"metadata\":"
            + "{\"name\":\"business-critical\"},\"value\":1000000}");
    com.fasterxml.jackson.databind.node.ObjectNode unused = priorityClass.deepCopy();
    unused.with("metadata").put("name", "batch-low");
    byte[] tarball = VeleroBackupBuilder.named("b").items(List.of(RealisticItems.namespace("shop"), pod,
        RealisticItems.persistentVolumeClaim("shop", "data", "1Gi"), priorityClass, unused)).build().tarball();
    RestorePlan plan = plan("", RestorePriorities.DEFAULT, tarball);
    List<String> names = waveNames(plan);
    int pods = names.indexOf("pods");
    assertEquals(AdditionalItems.ADDITIONAL_ITEMS, names.get(pods - 1), names.toString());
    assertEquals(List.of("business-critical"), plan.waves().get(pods - 1).items().stream().map(PlannedItem::name)
        .toList());
    assertEquals(List.of("batch-low"), plan.waves().get(names.indexOf(RestorePlanner.UNLISTED)).items().stream()
        .map(PlannedItem::name).toList(), "a PriorityClass no pod uses keeps its place");
    assertTrue(names.indexOf("persistentvolumeclaims") < pods, names.toString());
    assertEquals(5, plan.totalItems());
  }

  /** An additional item the restore does not select is not restored (Velero's filters apply to them). */
  @Test
  void anUnselectedAdditionalItemStaysOut() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode pod = RealisticItems.mirrorPod("shop", "web-0");
    pod.with("metadata").with("annotations").remove("kubernetes.io/config.mirror");
    pod.with("spec").put("priorityClassName", "business-critical");
    com.fasterxml.jackson.databind.node.ObjectNode priorityClass = (com.fasterxml.jackson.databind.node.ObjectNode)
        Json.mapper().readTree("{\"apiVersion\":\"scheduling.k8s.io/v1\",\"kind\":\"PriorityClass\",\"metadata\":"
            + "{\"name\":\"business-critical\"},\"value\":1000000}");
    byte[] tarball = VeleroBackupBuilder.named("b").items(List.of(RealisticItems.namespace("shop"), pod, priorityClass))
        .build().tarball();
    RestorePlan plan = plan("includedResources: [pods]\n", RestorePriorities.DEFAULT, tarball);
    assertEquals(List.of("pods"), waveNames(plan));
  }

  /**
   * Reference 3.3, additional items: label selectors and the cluster-scope rule do not apply to them.
   * A namespace-scoped restore still restores a bound claim's volume, and a pod selected by label
   * still gets its unlabelled claim.
   */
  @Test
  void additionalItemsIgnoreLabelSelectorsAndTheClusterScopeRule() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode pod = RealisticItems.mirrorPod("shop", "web-0");
    pod.with("metadata").with("annotations").remove("kubernetes.io/config.mirror");
    pod.with("metadata").with("labels").put("tier", "web");
    pod.with("spec").putArray("volumes").addObject().put("name", "data").putObject("persistentVolumeClaim")
        .put("claimName", "data");
    com.fasterxml.jackson.databind.node.ObjectNode claim = RealisticItems.persistentVolumeClaim("shop", "data", "1Gi");
    com.fasterxml.jackson.databind.node.ObjectNode volume = RealisticItems.persistentVolume(claim);
    claim.with("spec").put("volumeName", volume.at("/metadata/name").asText());
    claim.with("status").put("phase", "Bound");
    com.fasterxml.jackson.databind.node.ObjectNode other = RealisticItems.persistentVolumeClaim("shop", "unused", "1Gi");
    byte[] tarball = VeleroBackupBuilder.named("b").items(List.of(RealisticItems.namespace("shop"), pod, claim, volume,
        other)).build().tarball();

    RestorePlan namespaced = plan("includedNamespaces: [shop]\n", RestorePriorities.DEFAULT, tarball);
    assertTrue(namespaced.items().stream().anyMatch(i -> i.groupResource().equals("persistentvolumes")),
        "the bound claim's volume is an additional item: " + waveNames(namespaced));

    RestorePlan labelled = plan("labelSelector: {matchLabels: {tier: web}}\n", RestorePriorities.DEFAULT, tarball);
    List<String> names = labelled.items().stream().map(PlannedItem::name).toList();
    assertTrue(names.contains("web-0") && names.contains("data"), names.toString());
    assertTrue(names.contains(volume.at("/metadata/name").asText()), "and the claim's volume in turn: " + names);
    assertTrue(!names.contains("unused"), names.toString());

    RestorePlan noCluster = plan("includedNamespaces: [shop]\nincludeClusterResources: false\n",
        RestorePriorities.DEFAULT, tarball);
    assertTrue(noCluster.items().stream().noneMatch(i -> i.groupResource().equals("persistentvolumes")),
        "includeClusterResources: false still keeps cluster-scoped additional items out");
  }
}
