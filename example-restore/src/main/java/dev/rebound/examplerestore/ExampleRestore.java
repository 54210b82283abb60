package dev.rebound.examplerestore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.fixtures.ExampleBackup;
import dev.rebound.fixtures.VeleroBackup;
import dev.rebound.model.velero.BackupStoreLayout;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The main job's restore: uploads the bundled example backup (an application in namespace
 * {@code shop}: Deployment, ReplicaSet, Pods, a NodePort Service, ConfigMap, Secret,
 * ServiceAccount, Role, RoleBinding, PVC and PV, a CRD with custom resources) to the running
 * local stack's bucket, restores it into {@code shop-restored} through the API, prints the
 * progress as it goes, then the final status, the results and what was created.
 *
 * <p>Usage: {@code ExampleRestore <stack.properties>}; exits 0 when the restore Completed.
 */
public final class ExampleRestore {

  static final String BACKUP = "example";
  public static final String TARGET_NAMESPACE = "shop-restored";
  static final int POD_WAIT_SECONDS = 180;

  private final PrintStream out;

  public ExampleRestore(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ExampleRestore <stack.properties>");
      System.exit(2);
    }
    Properties stack = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
      stack.load(in);
    }
    System.exit(new ExampleRestore(System.out).run(stack));
  }

  public int run(Properties stack) throws IOException, InterruptedException {
    try (BackupUploader uploader = BackupUploader.of(stack)) {
      return run(stack, uploader);
    }
  }

  private int run(Properties stack, BackupUploader uploader) throws IOException, InterruptedException {
    // On a stack with a node (./rebound run), a pod whose volume Velero's file-system backup saved.
    ExampleVolumeData.Backed volume = stack.getProperty("kube.node") == null ? null
        : ExampleVolumeData.backUp(stack, BACKUP);
    VeleroBackup backup = volume == null ? ExampleBackup.build(BACKUP)
        : ExampleBackup.build(BACKUP, List.of(volume.pod()), List.of(volume.podVolumeBackup()));
    int objects = uploader.upload(backup, "");
    out.printf("%nUploaded Velero backup \"%s\" (%d items, %d objects) to s3://%s/backups/%s/%n", BACKUP,
        backup.items().size(), objects, stack.getProperty("s3.bucket"), BACKUP);
    RestoreApi api = new RestoreApi(stack.getProperty("api.url"), stack.getProperty("api.token"));
    try (KubernetesClient kube = kube(stack)) {
      ExampleScenario.prepare(kube, TARGET_NAMESPACE);
      out.printf("Prepared the target cluster: ServiceAccount %s/%s already exists, StorageClass %s, "
          + "change-storage-class ConfigMap (%s -> %s), resource modifiers ConfigMap %s/%s%n", TARGET_NAMESPACE,
          ExampleBackup.SERVICE_ACCOUNT, ExampleScenario.STORAGE_CLASS, ExampleBackup.STORAGE_CLASS,
          ExampleScenario.STORAGE_CLASS, ExampleScenario.VELERO_NAMESPACE, ExampleScenario.RESOURCE_MODIFIERS);
    }
    String request = ExampleScenario.request(BACKUP, TARGET_NAMESPACE);
    out.println("Submitting to " + stack.getProperty("api.url") + "/api/v1/restores:");
    request.lines().forEach(l -> out.println("  " + l));
    RestoreApi.Answer submitted = api.submit(request, "application/yaml");
    if (submitted.status() != 201) {
      out.println("The restore was refused: HTTP " + submitted.status() + " " + submitted.body());
      return 1;
    }
    String name = submitted.json().path("metadata").path("name").asText();
    out.printf("Restore request \"%s\" submitted successfully.%n", name);
    String[] last = {""};
    JsonNode restore = api.awaitEnd(name, Duration.ofMinutes(10), r -> {
      JsonNode status = r.path("status");
      String line = String.format("  %-16s %d of %d items restored, %d warnings, %d errors",
          status.path("phase").asText(), status.path("progress").path("itemsRestored").asInt(),
          status.path("progress").path("totalItems").asInt(), status.path("warnings").asInt(),
          status.path("errors").asInt());
      if (!line.equals(last[0])) {
        out.println(line);
        last[0] = line;
      }
    });
    JsonNode status = restore.path("status");
    out.printf("%nRestore %s: %s (started %s, completed %s)%n", name, status.path("phase").asText(),
        status.path("startTimestamp").asText("<n/a>"), status.path("completionTimestamp").asText("<n/a>"));
    status.path("validationErrors").forEach(e -> out.println("  validation error: " + e.asText()));
    if (status.hasNonNull("failureReason")) {
      out.println("  failure reason: " + status.path("failureReason").asText());
    }
    printResults(api.get(name, "results").json());
    out.println("Resource list:");
    for (Iterator<Map.Entry<String, JsonNode>> it = api.get(name, "resources").json().fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.println("  " + e.getKey() + ":");
      e.getValue().forEach(v -> out.println("    - " + v.asText()));
    }
    try (KubernetesClient kube = kube(stack)) {
      printRules(kube);
      printPods(kube);
      if (volume != null) {
        ExampleVolumeData.print(kube, out, TARGET_NAMESPACE, volume.snapshot(), POD_WAIT_SECONDS);
      }
    }
    out.printf("%nSee it in the cluster:  kubectl --kubeconfig %s get all,cm,secret,sa,role,rolebinding,pvc,widgets "
        + "-n %s%n", stack.getProperty("kube.kubeconfig"), TARGET_NAMESPACE);
    out.printf("The restore's log:       curl -H \"Authorization: Bearer $TOKEN\" %s/api/v1/restores/%s/logs"
        + "   (TOKEN: api.token in .rebound/stack.properties)%n", stack.getProperty("api.url"), name);
    out.printf("The console:             %s/ (sign in with the same token)%n", stack.getProperty("api.url"));
    List<String> files = uploader.keys(new BackupStoreLayout(null).restoreDir(name));
    out.printf("Its files in the bucket: %s%n", files.isEmpty() ? "none"
        : files.stream().map(k -> "s3://" + stack.getProperty("s3.bucket") + "/" + k).collect(Collectors.joining(", ")));
    return status.path("phase").asText().equals("Completed") ? 0 : 1;
  }

  /** What Velero's per-item rules did to the scenario's objects (reference 3.7, 3.8, 4, 5). */
  private void printRules(KubernetesClient kube) {
    out.println("Velero's rules at work:");
    Service service = kube.services().inNamespace(TARGET_NAMESPACE).withName(ExampleBackup.SERVICE).get();
    if (service != null) {
      service.getSpec().getPorts().forEach(p -> out.printf("  Service %s port %s: nodePort %d%s%n", service
          .getMetadata().getName(), p.getName(), p.getNodePort(), p.getNodePort() == ExampleBackup.REQUESTED_NODE_PORT
          ? " (chosen in its manifest: kept)" : " (assigned by this cluster)"));
    }
    ServiceAccount sa = kube.serviceAccounts().inNamespace(TARGET_NAMESPACE).withName(ExampleBackup.SERVICE_ACCOUNT)
        .get();
    if (sa != null) {
      out.printf("  ServiceAccount %s: existed, merged with the backup's (labels %s)%n", sa.getMetadata().getName(),
          sa.getMetadata().getLabels());
    }
    PersistentVolumeClaim pvc = kube.persistentVolumeClaims().inNamespace(TARGET_NAMESPACE)
        .withName(ExampleBackup.PERSISTENT_VOLUME_CLAIM).get();
    if (pvc != null) {
      out.printf("  PersistentVolumeClaim %s: storageClassName %s (mapped from %s), volumeName %s%n",
          pvc.getMetadata().getName(), pvc.getSpec().getStorageClassName(), ExampleBackup.STORAGE_CLASS,
          pvc.getSpec().getVolumeName() == null ? "none (its volume " + ExampleBackup.PERSISTENT_VOLUME
              + " had no snapshot and reclaim policy Delete: re-provisioned)" : pvc.getSpec().getVolumeName());
    }
    Deployment deployment = kube.apps().deployments().inNamespace(TARGET_NAMESPACE).withName(ExampleBackup.DEPLOYMENT)
        .get();
    if (deployment != null) {
      out.printf("  Deployment %s: label %s=%s (resource modifier, merge patch)%n", deployment.getMetadata().getName(),
          ExampleScenario.MODIFIER_LABEL, deployment.getMetadata().getLabels().get(ExampleScenario.MODIFIER_LABEL));
    }
    ConfigMap config = kube.configMaps().inNamespace(TARGET_NAMESPACE).withName(ExampleBackup.CONFIG_MAP).get();
    if (config != null) {
      out.printf("  ConfigMap %s: key %s=%s (resource modifier, JSON patch)%n", config.getMetadata().getName(),
          ExampleScenario.MODIFIER_KEY, config.getData().get(ExampleScenario.MODIFIER_KEY));
    }
  }

  /**
   * The restored pods as the cluster runs them: on a cluster with a Ready node (the local stack's),
   * waits up to {@value #POD_WAIT_SECONDS} s for them to be Running and Ready.
   */
  private void printPods(KubernetesClient kube) throws InterruptedException {
    boolean node = kube.nodes().list().getItems().stream().anyMatch(n -> n.getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")));
    if (!node) {
      out.println("Pods: the cluster has no Ready node, so the restored pods stay Pending.");
      return;
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(POD_WAIT_SECONDS).toNanos();
    List<Pod> pods = kube.pods().inNamespace(TARGET_NAMESPACE).list().getItems();
    while (!pods.stream().allMatch(ExampleRestore::runningAndReady) && System.nanoTime() < deadline) {
      Thread.sleep(1000);
      pods = kube.pods().inNamespace(TARGET_NAMESPACE).list().getItems();
    }
    out.println("Pods on node " + pods.stream().map(p -> p.getSpec().getNodeName()).distinct()
        .collect(Collectors.joining(", ")) + ":");
    for (Pod p : pods) {
      long ready = p.getStatus().getContainerStatuses().stream().filter(c -> Boolean.TRUE.equals(c.getReady())).count();
      out.printf("  %-28s %d/%d %s%n", p.getMetadata().getName(), ready, p.getSpec().getContainers().size(),
          p.getStatus().getPhase());
    }
  }

  /** Velero restores the pods as they were; on a node they run again. */
  public static boolean runningAndReady(Pod pod) {
    return "Running".equals(pod.getStatus().getPhase()) && !pod.getStatus().getContainerStatuses().isEmpty()
        && pod.getStatus().getContainerStatuses().stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()));
  }

  private static KubernetesClient kube(Properties stack) throws IOException {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(
        Files.readString(Path.of(stack.getProperty("kube.kubeconfig"))))).build();
  }

  private void printResults(JsonNode results) {
    for (String kind : new String[] {"warnings", "errors"}) {
      JsonNode r = results.path(kind);
      if (r.isEmpty()) {
        continue;
      }
      out.println(Character.toUpperCase(kind.charAt(0)) + kind.substring(1) + ":");
      r.path("velero").forEach(m -> out.println("  Velero:    " + m.asText()));
      r.path("cluster").forEach(m -> out.println("  Cluster:   " + m.asText()));
      r.path("namespaces").fields().forEachRemaining(ns -> ns.getValue()
          .forEach(m -> out.println("  Namespace " + ns.getKey() + ": " + m.asText())));
    }
  }
}
