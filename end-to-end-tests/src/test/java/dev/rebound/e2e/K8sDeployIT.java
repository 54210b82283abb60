package dev.rebound.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.examplerestore.BackupUploader;
import dev.rebound.examplerestore.ExampleRestore;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.servers.KubeBinaries;
import dev.rebound.servers.KubeCluster;
import dev.rebound.servers.KubeNode;
import dev.rebound.servers.LocalServers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl apply -k k8s/overlays/local} for real (issue 10, scope 5): the local overlay
 * deployed into a 1.20 cluster of its own with a real node, so every pod of Rebound, Kafka and
 * S3Proxy runs from the locally built images and must become Ready; the example backup restored
 * through the in-cluster API (the status-reporter's ClusterIP) into that same cluster, reached by
 * the services as their pods' ServiceAccounts; then {@code kubectl scale deployment/item-restorer
 * --replicas=3}, and the next restore's items counted by each item-restorer pod's own
 * {@code rebound_item_restorer_items_total}.
 *
 * <p>The test reaches ClusterIPs and pod IPs from the host as a node would: kube-proxy's rules
 * cover connections the host opens, and the pods' bridge is the host's. The cluster is the class's
 * own: the overlay pins ClusterIPs 10.0.0.10 and 10.0.0.11. There is one node per machine, so no
 * other class may hold {@link LocalServers#kubeWithNode()} while this one runs.
 */
class K8sDeployIT {

  private static final Path ROOT = Path.of(System.getProperty("rebound.project.root")).toAbsolutePath().normalize();
  private static final Path OVERLAY = ROOT.resolve("k8s/overlays/local");
  private static final Path WORK = Path.of("target", "k8s-deploy-it").toAbsolutePath();
  private static final String NAMESPACE = "rebound";
  /** The workloads of the local overlay: the volume-restorer is a DaemonSet, one per node. */
  private static final List<String> DEPLOYMENTS = List.of("deployment/kafka", "deployment/s3proxy",
      "deployment/restore-coordinator", "deployment/item-restorer", "daemonset/volume-restorer",
      "deployment/status-reporter");
  /** The overlay's fixed ClusterIPs (kafka.yaml, s3.yaml). */
  private static final String KAFKA = "10.0.0.10:9092";
  private static final String S3 = "http://10.0.0.11:8080";
  private static final String ITEM_RESTORERS = "app.kubernetes.io/name=item-restorer";
  private static final Pattern ITEMS_COUNTER = Pattern.compile("^rebound_item_restorer_items_total\\{[^}]*} (\\S+)$",
      Pattern.MULTILINE);

  private static KubeCluster cluster;
  private static KubeNode node;
  private static Kubectl kubectl;
  private static KubernetesClient kube;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  @BeforeAll
  static void startClusterWithNode() throws Exception {
    LocalOverlayKey.ensure(ROOT);
    KubeBinaries binaries = KubeBinaries.locate();
    cluster = KubeCluster.start(LocalServers.runDir().resolve("k8s-deploy-kube"), binaries);
    node = KubeNode.start(cluster, LocalServers.runDir().resolve("k8s-deploy-node"), binaries);
    kubectl = new Kubectl(cluster.adminKubeconfig(), WORK, Duration.ofMinutes(6));
    kube = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(cluster.adminKubeconfig()))).build();
  }

  @AfterAll
  static void stopClusterAndNode() {
    if (kube != null) {
      kube.close();
    }
    if (node != null) {
      node.close(); // removes every container the kubelet started
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theLocalOverlayRunsRestoresInClusterAndSharesItemsOutOverThreeItemRestorers() throws Exception {
    // As the README says to install it.
    String applied = kubectl.run(null, "apply", "apply", "-k", OVERLAY.toString());
    assertTrue(applied.contains("deployment.apps/item-restorer created"), applied);
    for (String deployment : DEPLOYMENTS) {
      rollout(deployment);
    }
    List<Pod> pods = kube.pods().inNamespace(NAMESPACE).list().getItems();
    assertTrue(pods.size() >= DEPLOYMENTS.size(), describe(pods));
    assertTrue(pods.stream().allMatch(ExampleRestore::runningAndReady), describe(pods));

    String apiUrl = "http://" + kube.services().inNamespace(NAMESPACE).withName("status-reporter").get()
        .getSpec().getClusterIP() + ":8084";
    RestoreApi api = new RestoreApi(apiUrl, cluster.adminToken());
    Awaitility.await("the in-cluster API takes restores").atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> api.get("/q/health/ready").status() == 200);

    // The main job's restore, through the in-cluster API, into the cluster Rebound runs in.
    Properties stack = stack(apiUrl);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int exit = new ExampleRestore(new PrintStream(printed, true, StandardCharsets.UTF_8)).run(stack);
    String output = printed.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, output + logs("deployment/restore-coordinator") + logs("deployment/item-restorer"));
    Matcher submitted = Pattern.compile("Restore request \"([^\"]+)\" submitted successfully").matcher(output);
    assertTrue(submitted.find(), output);
    JsonNode example = api.get(submitted.group(1), "").json();
    assertEquals("Completed", example.path("status").path("phase").asText(), example.toString());
    assertEquals(17, example.path("status").path("progress").path("totalItems").asInt(), example.toString());
    assertEquals(17, example.path("status").path("progress").path("itemsRestored").asInt(), example.toString());
    assertTrue(output.contains("2/2 Running"), output);

    // Three item-restorers, each owning partitions of the items topic before the next restore.
    kubectl.run(null, "status", "-n", NAMESPACE, "scale", "deployment/item-restorer", "--replicas=3");
    rollout("deployment/item-restorer");
    Awaitility.await("three item-restorers, each owning partitions of rebound.restore-items")
        .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> itemRestorerPods().size() == 3 && api.liveInstances("item-restorer") == 3
            && itemRestorerGroupShared(3));
    Map<String, Double> before = itemsRestoredPerPod();
    assertEquals(3, before.size(), before.toString());

    // Enough items that three owners of four partitions each all get some (the keys are per item).
    int configMaps = 60;
    List<ObjectNode> items = new ArrayList<>();
    items.add(RealisticItems.namespace("spread"));
    for (int i = 0; i < configMaps; i++) {
      items.add(RealisticItems.configMap("spread", "settings-" + i, Map.of("key", "value-" + i)));
    }
    try (BackupUploader uploader = BackupUploader.of(stack)) {
      uploader.upload(VeleroBackupBuilder.named("spread").items(items).build(), "");
    }
    RestoreApi.Answer answer = api.submit("""
        {"apiVersion": "velero.io/v1", "kind": "Restore", "metadata": {"name": "spread-1"},
         "spec": {"backupName": "spread"}}""", "application/json");
    assertEquals(201, answer.status(), answer.body());
    JsonNode spread = api.awaitEnd("spread-1", Duration.ofMinutes(3), r -> {});
    assertEquals("Completed", spread.path("status").path("phase").asText(), spread.toString());
    assertEquals(configMaps + 1, spread.path("status").path("progress").path("itemsRestored").asInt(), spread.toString());
    assertNull(spread.path("status").get("errors"), api.get("spread-1", "results").body());
    assertEquals("value-41", kube.configMaps().inNamespace("spread").withName("settings-41").get().getData().get("key"));

    Map<String, Double> after = itemsRestoredPerPod();
    assertEquals(before.keySet(), after.keySet(), "the same three item-restorers");
    Map<String, Double> share = new TreeMap<>();
    after.forEach((pod, count) -> share.put(pod, count - before.get(pod)));
    System.out.println("[K8sDeployIT] items of spread-1 restored per item-restorer pod: " + share);
    assertTrue(share.values().stream().allMatch(c -> c > 0), "every item-restorer restored items of spread-1: " + share);
    assertEquals(configMaps + 1, share.values().stream().mapToDouble(Double::doubleValue).sum(), 0.0,
        "each item counted once: " + share);
  }

  /** Where the example client finds the deployed stack: the in-cluster API, the overlay's S3Proxy and its credentials. */
  private static Properties stack(String apiUrl) throws Exception {
    Properties credentials = new Properties();
    try (Reader in = Files.newBufferedReader(OVERLAY.resolve("secrets/s3-credentials.env"))) {
      credentials.load(in);
    }
    Properties stack = new Properties();
    stack.setProperty("api.url", apiUrl);
    stack.setProperty("s3.endpoint", S3);
    stack.setProperty("s3.region", "us-east-1");
    stack.setProperty("s3.bucket", "velero");
    stack.setProperty("s3.access-key", credentials.getProperty("QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID"));
    stack.setProperty("s3.secret-key",
        credentials.getProperty("QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY"));
    stack.setProperty("kube.kubeconfig", cluster.adminKubeconfig().toString());
    stack.setProperty("api.token", cluster.adminToken());
    return stack;
  }

  private static List<Pod> itemRestorerPods() {
    return kube.pods().inNamespace(NAMESPACE).withLabelSelector(ITEM_RESTORERS).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).filter(ExampleRestore::runningAndReady).toList();
  }

  /** Each item-restorer pod's {@code rebound_item_restorer_items_total}, summed over its series, by pod name. */
  private static Map<String, Double> itemsRestoredPerPod() throws Exception {
    Map<String, Double> counts = new TreeMap<>();
    for (Pod pod : itemRestorerPods()) {
      HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://" + pod.getStatus().getPodIP() + ":8082/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, metrics.statusCode(), metrics.body());
      double sum = 0;
      Matcher series = ITEMS_COUNTER.matcher(metrics.body());
      while (series.find()) {
        sum += Double.parseDouble(series.group(1));
      }
      counts.put(pod.getMetadata().getName(), sum);
    }
    return counts;
  }

  /** Whether the item-restorers' consumer group is stable with {@code members} members that each own partitions. */
  private static boolean itemRestorerGroupShared(int members) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA, "request.timeout.ms", 5000,
        "default.api.timeout.ms", 10000))) {
      ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("rebound-item-restorer"))
          .all().get(15, TimeUnit.SECONDS).get("rebound-item-restorer");
      return group.groupState() == GroupState.STABLE && group.members().size() == members
          && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
    }
  }

  private static String describe(List<Pod> pods) {
    StringBuilder text = new StringBuilder("pods:");
    for (Pod pod : pods) {
      text.append("\n  ").append(pod.getMetadata().getName()).append(' ').append(pod.getStatus().getPhase())
          .append(' ').append(pod.getStatus().getConditions());
    }
    return text.toString();
  }

  /** Waits until the deployment's pods are all updated and Ready; fails with their state and logs. */
  /** @param workload {@code deployment/<name>} or {@code daemonset/<name>} */
  private static void rollout(String workload) throws Exception {
    Kubectl.Result rollout = kubectl.call(null, "status", "-n", NAMESPACE, "rollout", "status", workload,
        "--timeout=300s");
    if (rollout.exit() != 0) {
      fail(workload + " did not roll out: " + rollout.err() + rollout.out()
          + describe(kube.pods().inNamespace(NAMESPACE).list().getItems())
          + logs(workload));
    }
  }

  /** The logs of a workload's pods ({@code deployment/<name>}, {@code daemonset/<name>}), for a failure's message. */
  private static String logs(String workload) {
    try {
      return "\n--- logs of " + workload + ":\n"
          + kubectl.call(null, "status", "-n", NAMESPACE, "logs", workload, "--tail=80").out();
    } catch (Exception e) {
      return "\n--- no logs of " + workload + ": " + e;
    }
  }
}
