package dev.rebound.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.storage.StorageConfig;
import dev.rebound.coordinator.plan.PlannedItem;
import dev.rebound.coordinator.plan.RestorePlan;
import dev.rebound.coordinator.plan.SampleBackup;
import dev.rebound.coordinator.plan.Wave;
import dev.rebound.fixtures.VeleroBackup;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.fixtures.VeleroTarballWriter;
import dev.rebound.model.Json;
import dev.rebound.model.velero.BackupStoreLayout;
import dev.rebound.model.velero.ObjectMeta;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.KubeServerResource;
import dev.rebound.testsupport.S3ServerResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * Planning against the real servers: backups in S3Proxy exactly in Velero's layout, resource names
 * resolved through the real kube-apiserver's discovery, and every bad input ending in a precise
 * status instead of an exception.
 */
@QuarkusTest
@WithTestResource(S3ServerResource.class)
@WithTestResource(KafkaServerResource.class)
@WithTestResource(value = KubeServerResource.class, initArgs = @ResourceArg(name = "prefix", value = "rebound.coordinator"))
class RestorePlanningIT {

  @Inject RestorePlanning planning;
  @Inject S3Client s3;
  @Inject StorageConfig config;
  @Inject dev.rebound.storage.BackupStore store;
  @Inject dev.rebound.support.kube.TargetClusters clusters;

  private BackupStoreLayout layout;

  @BeforeEach
  void bucket() {
    try {
      s3.createBucket(b -> b.bucket(config.bucket()));
    } catch (BucketAlreadyOwnedByYouException e) {
      // Created by an earlier test.
    }
    layout = new BackupStoreLayout(config.prefix().orElse(null));
  }

  private void upload(VeleroBackup backup) {
    backup.objects(layout).forEach((key, bytes) -> put(key, bytes));
  }

  private void put(String key, byte[] bytes) {
    s3.putObject(b -> b.bucket(config.bucket()).key(key), RequestBody.fromBytes(bytes));
  }

  private static Restore restore(String yaml) throws Exception {
    return Json.yaml().readValue("apiVersion: velero.io/v1\nkind: Restore\nmetadata: {name: r, namespace: velero}\nspec:\n"
        + yaml.indent(2), Restore.class);
  }

  @Test
  void fullPlanOfARealisticBackupWithNamespaceMapping() throws Exception {
    VeleroBackup backup = SampleBackup.build();
    upload(backup);
    RestorePlanning.Outcome outcome = planning.plan(restore("backupName: " + SampleBackup.NAME + "\n"
        + "namespaceMapping: {guestbook: guestbook-dr, shop: shop-dr}\nexcludedResources: [deploy]\n"), "default");

    assertEquals(RestorePhase.NEW, outcome.restore().status().phase());
    assertEquals("cluster-daily", outcome.restore().spec().scheduleName(), "filled from the backup's label");
    RestorePlan plan = outcome.plan().orElseThrow();
    assertEquals(List.of("customresourcedefinitions.apiextensions.k8s.io", "namespaces", "persistentvolumes",
        "persistentvolumeclaims", "serviceaccounts", "secrets", "configmaps", "pods", "replicasets.apps", "services",
        "unlisted resources"), plan.waves().stream().map(Wave::name).toList());
    assertEquals(List.of("widgets.shop.example.com"), plan.waves().get(10).groupResources(),
        "the short name deploy resolved through the real discovery to deployments.apps and excluded it");
    assertEquals(new TreeSet<>(Set.of("guestbook-dr", "nginx-example", "shop-dr")), plan.targetNamespaces());
    assertEquals(backup.items().size() - 2 - 4, plan.totalItems(), "completed pod and job, and 4 deployments, left out");
    PlannedItem pvc = plan.waves().get(3).items().get(0);
    assertEquals(new PlannedItem("persistentvolumeclaims", "shop", "shop-dr", "orders-data", "v1", "PersistentVolumeClaim"), pvc);
    assertEquals(List.of("guestbook", "nginx-example", "shop"),
        plan.waves().get(1).items().stream().map(PlannedItem::name).toList());
    assertTrue(plan.errors().isEmpty() && plan.warnings().isEmpty(), plan.errors() + " " + plan.warnings());
  }

  @Test
  void optionalPerBackupFilesAreReadFromS3AndAbsentOnesAreEmpty() throws Exception {
    VeleroBackup b = VeleroBackupBuilder.named("with-volumes")
        .item(dev.rebound.fixtures.RealisticItems.namespace("data"))
        .volumeSnapshot("pv-data-1", "snap-0123456789abcdef0")
        .volumeInfo("data", "db", "pv-data-1", "NativeSnapshot").build();
    upload(b);
    assertEquals("v1/Namespace", store.resourceList("with-volumes").orElseThrow().fieldNames().next());
    assertEquals("snap-0123456789abcdef0",
        store.volumeSnapshots("with-volumes").orElseThrow().get(0).path("status").path("providerSnapshotID").asText());
    assertEquals("NativeSnapshot", store.volumeInfo("with-volumes").orElseThrow().get(0).path("backupMethod").asText());
    assertEquals(0, store.podVolumeBackups("with-volumes").orElseThrow().size());
    VeleroBackup legacy = VeleroBackupBuilder.named("pre-1-13").withoutVolumeInfo().build();
    upload(legacy);
    assertEquals(java.util.Optional.empty(), store.volumeInfo("pre-1-13"), "absent before Velero 1.13: legacy PV logic");
  }

  @Test
  void resourceModifierConfigMapIsReadFromTheTargetClustersVeleroNamespace() throws Exception {
    upload(VeleroBackupBuilder.named("with-modifiers").item(dev.rebound.fixtures.RealisticItems.namespace("m")).build());
    veleroNamespace();
    putConfigMap("good-modifiers", Map.of("rules.yaml", "version: v1\nresourceModifierRules:\n- conditions: {groupResource: pods}\n"
        + "  patches: [{operation: remove, path: /metadata/annotations}]\n"));
    putConfigMap("two-keys", Map.of("a", "x", "b", "y"));
    putConfigMap("no-rules", Map.of("rules.yaml", "version: v1\nresourceModifierRules: []\n"));
    String base = "backupName: with-modifiers\nresourceModifier: {kind: ConfigMap, name: ";

    assertEquals(RestorePhase.NEW, planning.plan(restore(base + "good-modifiers}\n"), "default").restore().status().phase());
    assertEquals(RestorePhase.NEW, planning.plan(restore((base + "missing}\n").replace("ConfigMap", "Secret")), "default")
        .restore().status().phase(), "any kind but configmap is ignored, as Velero does");
    assertEquals(List.of("failed to get resource modifiers configmap velero/absent"),
        planning.plan(restore(base + "absent}\n"), "default").restore().status().validationErrors());
    assertEquals(List.of("Error in parsing resource modifiers provided in configmap velero/two-keys: "
        + "illegal resource modifiers velero/two-keys configmap"),
        planning.plan(restore(base + "two-keys}\n"), "default").restore().status().validationErrors());
    assertEquals(List.of("Validation error in resource modifiers provided in configmap velero/no-rules: "
        + "resource modifier rules cannot be empty"),
        planning.plan(restore(base + "no-rules}\n"), "default").restore().status().validationErrors());
  }

  /**
   * Issue 13 scope 5: an inline document becomes a ConfigMap in the target's Velero namespace,
   * made for the restore (its uid), read back as Velero reads one; a ConfigMap of that name that is
   * not the restore's is never overwritten; deleting removes only the restore's own.
   */
  @Test
  void inlineResourceModifiersBecomeTheRestoresOwnConfigMap() throws Exception {
    upload(VeleroBackupBuilder.named("with-inline").item(dev.rebound.fixtures.RealisticItems.namespace("m")).build());
    var kube = veleroNamespace();
    String document = "version: v1\nresourceModifierRules:\n- conditions: {groupResource: deployments.apps}\n"
        + "  patches: [{operation: replace, path: /spec/replicas, value: \"1\"}]\n";
    Restore inline = dev.rebound.model.velero.InlineResourceModifiers.resolve(withInline(
        restore("backupName: with-inline\n"), "inline-r", "uid-1", document));
    assertEquals("inline-r-resource-modifiers", inline.spec().resourceModifier().name());

    RestorePlanning.Outcome outcome = planning.plan(inline, "default");
    assertEquals(RestorePhase.NEW, outcome.restore().status().phase(), String.valueOf(outcome.restore().status()));
    assertEquals("/spec/replicas", outcome.resourceModifiers().resourceModifierRules().get(0).patches().get(0).path());
    var cm = kube.configMaps().inNamespace("velero").withName("inline-r-resource-modifiers").get();
    assertEquals(Map.of("resource-modifiers.yaml", document), cm.getData());
    assertEquals("uid-1", cm.getMetadata().getAnnotations().get("rebound.dev/restore-uid"));
    assertEquals("inline-r", cm.getMetadata().getAnnotations().get("rebound.dev/restore-name"));
    assertEquals(RestorePhase.NEW, planning.plan(inline, "default").restore().status().phase(),
        "planned again (a crash before the plan was recorded): the restore's own ConfigMap is kept");

    // Another restore (another uid) of the same name may not take it over.
    Restore other = dev.rebound.model.velero.InlineResourceModifiers.resolve(withInline(
        restore("backupName: with-inline\n"), "inline-r", "uid-2", document));
    assertEquals(List.of("resource modifiers configmap velero/inline-r-resource-modifiers already exists and was not "
        + "made by Rebound for restore inline-r (uid uid-2); it is left as it is"),
        planning.plan(other, "default").restore().status().validationErrors());
    assertEquals(false, dev.rebound.coordinator.kube.ConfigMaps.deleteInline(kube, "velero",
        "inline-r-resource-modifiers", "uid-2"), "not that restore's: kept");
    assertEquals(true, dev.rebound.coordinator.kube.ConfigMaps.deleteInline(kube, "velero",
        "inline-r-resource-modifiers", "uid-1"));
    assertEquals(null, kube.configMaps().inNamespace("velero").withName("inline-r-resource-modifiers").get());
  }

  /** The target's Velero namespace, made if missing; the target's client. */
  private io.fabric8.kubernetes.client.KubernetesClient veleroNamespace() {
    var kube = clusters.defaultClient();
    if (kube.namespaces().withName("velero").get() == null) {
      kube.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
          .withName("velero").endMetadata().build()).create();
    }
    return kube;
  }

  private static Restore withInline(Restore r, String name, String uid, String document) {
    ObjectMeta m = r.metadata();
    return r.withMetadata(new ObjectMeta(name, m.namespace(), uid, null, null, null,
        Map.of(dev.rebound.model.velero.InlineResourceModifiers.ANNOTATION, document)));
  }

  private void putConfigMap(String name, Map<String, String> data) {
    clusters.defaultClient().configMaps().inNamespace("velero").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata().withName(name).withNamespace("velero").endMetadata().withData(data).build()).createOr(
            op -> op.update());
  }

  /** Reference 3.9: the target's discovery gives every version of each group and the preferred one. */
  @Test
  void discoveryListsEveryVersionOfEachGroup() {
    var groups = dev.rebound.coordinator.kube.Discovery.load(clusters.defaultClient()).groups();
    assertEquals("v1", groups.get("autoscaling").preferred());
    assertTrue(groups.get("autoscaling").versions().containsAll(java.util.List.of("v1", "v2beta1", "v2beta2")),
        groups.get("autoscaling").toString());
    assertEquals(java.util.List.of("v1"), groups.get("").versions());
    assertTrue(!groups.get("policy").versions().contains("v1"), "Kubernetes 1.20 serves policy/v1beta1 only");
  }

  @Test
  void missingBackupIsFailedValidationWithVelerosMessage() throws Exception {
    Restore r = planning.plan(restore("backupName: nowhere\n"), "default").restore();
    assertEquals(RestorePhase.FAILED_VALIDATION, r.status().phase());
    assertEquals(List.of("Error retrieving backup: can't find backup velero/nowhere: backups.velero.io \"nowhere\" not found"),
        r.status().validationErrors());
  }

  @Test
  void tarballWithoutVeleroBackupJsonMeansTheBackupDoesNotExist() throws Exception {
    VeleroBackup b = VeleroBackupBuilder.named("no-metadata").item(dev.rebound.fixtures.RealisticItems.namespace("x")).build();
    put(layout.backupTarball("no-metadata"), b.tarball());
    Restore r = planning.plan(restore("backupName: no-metadata\n"), "default").restore();
    assertEquals(List.of("Error retrieving backup: can't find backup velero/no-metadata: backups.velero.io \"no-metadata\" not found"),
        r.status().validationErrors());
  }

  @Test
  void truncatedTarballFailsTheRestoreWithAClearReason() throws Exception {
    VeleroBackup b = SampleBackup.build("truncated");
    upload(b);
    byte[] tgz = b.tarball();
    put(layout.backupTarball("truncated"), Arrays.copyOf(tgz, tgz.length / 3));
    Restore r = planning.plan(restore("backupName: truncated\n"), "default").restore();
    assertEquals(RestorePhase.FAILED, r.status().phase());
    assertTrue(r.status().failureReason().startsWith("error reading backup truncated: backup tarball is truncated or corrupt: "),
        r.status().failureReason());
  }

  @Test
  void pathTraversalEntryFailsTheRestore() throws Exception {
    upload(VeleroBackupBuilder.named("evil").build());
    put(layout.backupTarball("evil"), tarball(w -> w.writeRawEntry("resources/../../etc/cron.d/x", "* * * * * root id".getBytes(StandardCharsets.UTF_8))));
    Restore r = planning.plan(restore("backupName: evil\n"), "default").restore();
    assertEquals(RestorePhase.FAILED, r.status().phase());
    assertEquals("error reading backup evil: tar entry \"resources/../../etc/cron.d/x\" is not a relative path inside the "
        + "backup archive (path traversal); refusing to read the backup", r.status().failureReason());
  }

  @Test
  void invalidJsonAndOversizedItemsAreItemErrorsAndTheRestIsPlanned() throws Exception {
    upload(VeleroBackupBuilder.named("damaged").build());
    byte[] big = ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":{\"x\":\"" + "b".repeat(3_200_000) + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
    put(layout.backupTarball("damaged"), tarball(w -> {
      w.writeItem("configmaps", "v1", "shop", "ok", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}".getBytes(StandardCharsets.UTF_8));
      w.writeItem("configmaps", "v1", "shop", "broken", "{not json".getBytes(StandardCharsets.UTF_8));
      w.writeItem("configmaps", "v1", "shop", "huge", big);
    }));
    RestorePlanning.Outcome o = planning.plan(restore("backupName: damaged\n"), "default");
    RestorePlan plan = o.plan().orElseThrow();
    assertEquals(List.of("ok"), plan.items().stream().map(PlannedItem::name).toList());
    List<String> errors = plan.errors().namespaces().get("shop");
    assertEquals(2, errors.size(), errors.toString());
    assertTrue(errors.get(0).startsWith("error decoding \"resources/configmaps/namespaces/shop/broken.json\": "), errors.get(0));
    assertEquals("error decoding \"resources/configmaps/namespaces/shop/huge.json\": item is " + big.length
        + " bytes, over the limit of 3145728 bytes", errors.get(1));
  }

  @Test
  void scheduleWithoutACompletedBackupIsFailedValidation() throws Exception {
    upload(VeleroBackupBuilder.named("weekly-1").schedule("weekly").phase("PartiallyFailed")
        .startedAt(Instant.parse("2026-11-20T00:00:00Z")).build());
    Restore r = planning.plan(restore("scheduleName: weekly\n"), "default").restore();
    assertEquals(RestorePhase.FAILED_VALIDATION, r.status().phase());
    assertEquals(List.of("No completed backups found for schedule"), r.status().validationErrors());
  }

  @Test
  void scheduleResolvesToItsNewestCompletedBackupInS3() throws Exception {
    upload(VeleroBackupBuilder.named("nightly-1").schedule("nightly").startedAt(Instant.parse("2026-11-20T00:00:00Z")).build());
    upload(VeleroBackupBuilder.named("nightly-2").schedule("nightly").startedAt(Instant.parse("2026-11-21T00:00:00Z")).build());
    upload(VeleroBackupBuilder.named("nightly-3").schedule("nightly").phase("Failed").startedAt(Instant.parse("2026-11-22T00:00:00Z")).build());
    Restore r = planning.plan(restore("scheduleName: nightly\n"), "default").restore();
    assertEquals("nightly-2", r.spec().backupName());
    assertEquals(RestorePhase.NEW, r.status().phase());
  }

  @Test
  void invalidSpecStopsBeforeAnyStorageAccess() throws Exception {
    Restore r = planning.plan(restore("backupName: x\nscheduleName: y\n"), "default").restore();
    assertEquals(List.of("Either a backup or schedule must be specified as a source for the restore, but not both"),
        r.status().validationErrors());
  }

  @Test
  void anInvalidOutageTimeoutAnnotationIsAValidationErrorBesideTheSpecsOwn() throws Exception {
    Restore r = planning.plan(Json.yaml().readValue("apiVersion: velero.io/v1\nkind: Restore\nmetadata: {name: r, "
        + "namespace: velero, annotations: {rebound.dev/outage-timeout: 10 minutes}}\nspec: {backupName: x, "
        + "existingResourcePolicy: sometimes}\n", Restore.class), "default").restore();
    assertEquals(RestorePhase.FAILED_VALIDATION, r.status().phase());
    assertEquals(List.of("Invalid ExistingResourcePolicy: sometimes",
        "Invalid annotation rebound.dev/outage-timeout: time: invalid duration \"10 minutes\"",
        "Error retrieving backup: can't find backup velero/x: backups.velero.io \"x\" not found"),
        r.status().validationErrors());
  }

  /** A cluster's own namespace mapping decides its part's target namespaces; the Restore keeps its spec. */
  @Test
  void aTargetClustersNamespaceMappingIsMergedOverTheSpecsForItsPartOnly() throws Exception {
    upload(SampleBackup.build());
    String fleet = "apiVersion: velero.io/v1\nkind: Restore\nmetadata: {name: r, namespace: velero, annotations: "
        + "{rebound.dev/namespace-mappings.%s: 'shop:shop-%s'}}\nspec: {backupName: " + SampleBackup.NAME
        + ", namespaceMapping: {guestbook: guestbook-dr, shop: shop-dr}}\n";
    List<String> targets = List.of("default", "east");
    RestorePlanning.Outcome own = planning.plan(Json.yaml().readValue(fleet.formatted("default", "default"),
        Restore.class), "default", targets);
    assertEquals(new TreeSet<>(Set.of("guestbook-dr", "nginx-example", "shop-default")),
        own.plan().orElseThrow().targetNamespaces());
    assertEquals(Map.of("guestbook", "guestbook-dr", "shop", "shop-default"), own.itemSpec().namespaceMapping(),
        "the items carry the merged mapping (their actions remap through it)");
    assertEquals(Map.of("guestbook", "guestbook-dr", "shop", "shop-dr"), own.restore().spec().namespaceMapping(),
        "the Restore as planned keeps the spec as submitted");
    RestorePlanning.Outcome other = planning.plan(Json.yaml().readValue(fleet.formatted("east", "east"),
        Restore.class), "default", targets);
    assertEquals(new TreeSet<>(Set.of("guestbook-dr", "nginx-example", "shop-dr")),
        other.plan().orElseThrow().targetNamespaces(), "east's mapping is not default's");

    Restore misspelt = Json.yaml().readValue("apiVersion: velero.io/v1\nkind: Restore\nmetadata: {name: r, namespace: "
        + "velero, annotations: {rebound.dev/namespace-mappings.eats: 'shop:shop-east', "
        + "rebound.dev/namespace-mappings.default: shop}}\nspec: {backupName: " + SampleBackup.NAME + "}\n",
        Restore.class);
    Restore r = planning.plan(misspelt, "default", targets).restore();
    assertEquals(RestorePhase.FAILED_VALIDATION, r.status().phase());
    assertEquals(List.of("Invalid annotation rebound.dev/namespace-mappings.default: error parsing \"shop\"",
        "Invalid annotation rebound.dev/namespace-mappings.eats: \"eats\" is not a target cluster of this restore "
            + "(default, east)"), r.status().validationErrors());
  }

  @Test
  void unknownTargetClusterFailsTheRestore() throws Exception {
    upload(VeleroBackupBuilder.named("any").build());
    Restore r = planning.plan(Restore.of(ObjectMeta.named("r"), RestoreSpec.fromBackup("any")), "mars").restore();
    assertEquals(RestorePhase.FAILED, r.status().phase());
    assertTrue(r.status().failureReason().contains("unknown target cluster \"mars\""), r.status().failureReason());
  }

  private static byte[] tarball(java.util.function.Consumer<VeleroTarballWriter> writes) {
    return VeleroTarballWriter.toBytes(writes);
  }

}
