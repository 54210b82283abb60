package dev.rebound.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import dev.rebound.model.Topics;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.RestoreContext;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.ObjectMeta;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.servers.LocalServers;
import dev.rebound.servers.Ports;
import dev.rebound.servers.ReboundServices;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, acceptance 5: a packaged service started with a wrong setting keeps serving
 * {@code /q/health}, is not ready with a check naming the property (and its environment variable)
 * and the problem, logs one ERROR line for it, and takes no work; fixed, it takes the work that
 * waited (without a restart where the setting is re-read: files, the broker).
 */
class MisconfiguredServicesIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Path root;
  private static KafkaTopics kafka;
  private static KubernetesClient kube;

  @BeforeAll
  static void start() throws Exception {
    root = Path.of(System.getProperty("rebound.project.root"));
    kafka = new KafkaTopics(LocalServers.kafka().bootstrapServers());
    LocalServers.s3().createBucket(ReboundServices.BUCKET); // only the setting under test is wrong
    kube = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(
        Files.readString(LocalServers.kube().adminKubeconfig()))).build();
  }

  @AfterAll
  static void stop() {
    if (kube != null) {
      kube.close();
    }
  }

  @Test
  void itemRestorerWithAnUnreadableKubeconfigTakesNoItemUntilTheFileIsReadable() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    Path kubeconfig = LocalServers.runDir().resolve("badconfig-" + id + ".kubeconfig");
    Files.copy(LocalServers.kube().adminKubeconfig(), kubeconfig);
    Files.setPosixFilePermissions(kubeconfig, PosixFilePermissions.fromString("---------"));
    String topic = "rebound.restore-items.badconfig-" + id;
    kafka.create(topic, 1);
    String property = "rebound.item-restorer.clusters.default.kubeconfig";
    Map<String, String> settings = itemChannel(topic, "badconfig-" + id);
    settings.put(property, kubeconfig.toString());
    // As root, reading a file of mode 000 needs CAP_DAC_OVERRIDE: the service runs without it.
    List<String> wrapper = isRoot() ? List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search") : List.of();
    ReboundServices.Running service = ReboundServices.startWith(root, LocalServers.runDir().resolve("badconfig-kube-" + id),
        "item-restorer", LocalServers.kafka(), LocalServers.s3(), LocalServers.kube(), settings, wrapper);
    try {
      String problem = "file " + kubeconfig + " cannot be read by this process: permission denied";
      assertNotReadyNaming(service, property, "REBOUND_ITEM_RESTORER_CLUSTERS_DEFAULT_KUBECONFIG: " + problem);
      assertOneErrorLine(service, "item-restorer", property + " (REBOUND_ITEM_RESTORER_CLUSTERS_DEFAULT_KUBECONFIG): "
          + problem);

      String restore = "badconfig-kube-" + id;
      ItemTask task = configMapTask(restore, "badconfig-" + id);
      kafka.sendTask(topic, task, LocalServers.kafka().payloadKey());
      Thread.sleep(5_000); // several check rounds (1s): the item waits
      assertFalse(kafka.groupActive("badconfig-" + id), "the consumer never joined its group");
      assertTrue(kafka.events(restore).isEmpty(), "no result while misconfigured");
      assertEquals(null, kube.configMaps().inNamespace(task.key().namespace()).withName("settings").get());

      Files.setPosixFilePermissions(kubeconfig, PosixFilePermissions.fromString("rw-------"));
      await().atMost(Duration.ofSeconds(60)).until(() -> status(service) == 200);
      assertTrue(service.process().logContains("Configuration fixed: " + property));
      RestoreEvent.ItemRestored result = awaitItemRestored(restore);
      assertEquals(ItemAction.CREATED, result.action(), result.toString());
      assertEquals("v1", kube.configMaps().inNamespace(task.key().namespace()).withName("settings").get()
          .getData().get("version"));
    } finally {
      service.process().close();
    }
  }

  @Test
  void itemRestorerWithAnUnreachableBrokerRecoversWhenTheBrokerAnswers() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    int port = Ports.free();
    String topic = "rebound.restore-items.badconfig-" + id;
    kafka.create(topic, 1);
    Map<String, String> settings = itemChannel(topic, "badconfig-" + id);
    settings.put("kafka.bootstrap.servers", "127.0.0.1:" + port);
    ReboundServices.Running service = ReboundServices.startWith(root, LocalServers.runDir().resolve("badconfig-kafka-" + id),
        "item-restorer", LocalServers.kafka(), LocalServers.s3(), LocalServers.kube(), settings, List.of());
    try {
      String problem = "no Kafka broker answers at \"127.0.0.1:" + port + "\" within 5s";
      assertNotReadyNaming(service, "kafka.bootstrap.servers", "KAFKA_BOOTSTRAP_SERVERS: " + problem);
      assertOneErrorLine(service, "item-restorer", "kafka.bootstrap.servers (KAFKA_BOOTSTRAP_SERVERS): " + problem);

      String restore = "badconfig-kafka-" + id;
      ItemTask task = configMapTask(restore, "badconfig-" + id);
      kafka.sendTask(topic, task, LocalServers.kafka().payloadKey());
      Thread.sleep(3_000);
      assertTrue(kafka.events(restore).isEmpty(), "no result while the broker is unreachable");

      // The broker "comes up" at the configured address: a forwarder to the real one.
      try (TcpForwarder forwarder = TcpForwarder.start(port, LocalServers.kafka().bootstrapServers())) {
        await().atMost(Duration.ofSeconds(90)).until(() -> status(service) == 200);
        RestoreEvent.ItemRestored result = awaitItemRestored(restore);
        assertEquals(ItemAction.CREATED, result.action(), result.toString());
      }
    } finally {
      service.process().close();
    }
  }

  @Test
  void itemRestorerWithAPayloadKeyOfTheWrongLengthTakesNoItem() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String topic = "rebound.restore-items.badconfig-" + id;
    kafka.create(topic, 1);
    Map<String, String> settings = itemChannel(topic, "badconfig-" + id);
    String shortKey = java.util.Base64.getEncoder().encodeToString(new byte[16]);
    settings.put("rebound.service.payload-key", shortKey);
    ReboundServices.Running service = ReboundServices.startWith(root, LocalServers.runDir().resolve("badconfig-key-" + id),
        "item-restorer", LocalServers.kafka(), LocalServers.s3(), LocalServers.kube(), settings, List.of());
    try {
      String problem = "is base64 of 16 bytes, but the key is 32 bytes (for example: head -c 32 /dev/urandom"
          + " | base64)";
      assertNotReadyNaming(service, "rebound.service.payload-key", "REBOUND_SERVICE_PAYLOAD_KEY: " + problem);
      assertOneErrorLine(service, "item-restorer", "rebound.service.payload-key (REBOUND_SERVICE_PAYLOAD_KEY): "
          + problem);
      assertFalse(Files.readString(service.process().log()).contains(shortKey), "the key is never logged");

      String restore = "badconfig-key-" + id;
      ItemTask task = configMapTask(restore, "badconfig-" + id);
      kafka.sendTask(topic, task, LocalServers.kafka().payloadKey());
      Thread.sleep(5_000); // several check rounds (1s): the item waits
      assertFalse(kafka.groupActive("badconfig-" + id), "the consumer never joined its group");
      assertTrue(kafka.events(restore).isEmpty(), "no result while the key is unusable");
    } finally {
      service.process().close();
    }
  }

  @Test
  void coordinatorWithoutS3CredentialsPlansNothingUntilStartedWithThem() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String property = "quarkus.s3.aws.credentials.static-provider.access-key-id";
    String restore = "badconfig-s3-" + id;
    Path dir = LocalServers.runDir().resolve("badconfig-s3-" + id);
    ReboundServices.Running service = ReboundServices.startWith(root, dir, "restore-coordinator",
        LocalServers.kafka(), LocalServers.s3(), LocalServers.kube(), Map.of(property, ""), List.of());
    try {
      String problem = "is not set, but quarkus.s3.aws.credentials.type is static";
      assertNotReadyNaming(service, property, "QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID: " + problem);
      assertOneErrorLine(service, "restore-coordinator",
          property + " (QUARKUS_S3_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID): " + problem);
      String log = Files.readString(service.process().log());
      assertFalse(log.contains(LocalServers.s3().secretKey()), "no secret in the log");

      Restore request = Restore.of(ObjectMeta.named(restore), RestoreSpec.fromBackup("no-such-backup-" + id));
      kafka.send(Topics.RESTORE_EVENTS, restore, new RestoreEvent.Submitted(restore, request, List.of("default"),
          Instant.now()));
      Thread.sleep(5_000);
      assertEquals(1, kafka.events(restore).size(), "only the submission: not planned, not failed");
    } finally {
      service.process().close();
    }
    ReboundServices.Running fixed = ReboundServices.startWith(root, dir.resolveSibling(dir.getFileName() + "-fixed"),
        "restore-coordinator", LocalServers.kafka(), LocalServers.s3(), LocalServers.kube(), Map.of(), List.of());
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> status(fixed) == 200);
      await().atMost(Duration.ofSeconds(60)).until(() -> kafka.events(restore).size() > 1);
      RestoreEvent ended = kafka.events(restore).get(1);
      assertTrue(ended instanceof RestoreEvent.Rejected, ended.toString());
      // Velero's answer for a backup that is not there, not "The BSL default is unavailable".
      assertEquals(List.of("Error retrieving backup: can't find backup velero/no-such-backup-" + id
          + ": backups.velero.io \"no-such-backup-" + id + "\" not found"),
          ((RestoreEvent.Rejected) ended).outcome().status().validationErrors().subList(0, 1));
    } finally {
      fixed.process().close();
    }
  }

  // ---- helpers

  private static Map<String, String> itemChannel(String topic, String group) {
    Map<String, String> settings = new java.util.LinkedHashMap<>();
    settings.put("mp.messaging.incoming.restore-items-in.topic", topic);
    settings.put("mp.messaging.incoming.restore-items-in.group.id", group);
    settings.put("rebound.service.settings-check-interval", "1s");
    return settings;
  }

  /** A ConfigMap to restore into a fresh namespace of the real cluster. */
  private static ItemTask configMapTask(String restore, String namespace) throws Exception {
    kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    ObjectNode object = (ObjectNode) Json.mapper().readTree("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
        + "\"metadata\":{\"name\":\"settings\",\"namespace\":\"" + namespace + "\"},\"data\":{\"version\":\"v1\"}}");
    return new ItemTask(restore, "nightly", "default", 0, new ItemKey("v1/ConfigMap", namespace, "settings"),
        "configmaps", namespace, new RestoreContext("uid-" + restore, RestoreSpec.fromBackup("nightly"), null), object);
  }

  private static RestoreEvent.ItemRestored awaitItemRestored(String restore) {
    await().atMost(Duration.ofSeconds(60)).until(() -> !kafka.events(restore).isEmpty());
    return (RestoreEvent.ItemRestored) kafka.events(restore).get(0);
  }

  /** The check {@code configuration} is DOWN, and its data for {@code property} starts with {@code data}. */
  private static void assertNotReadyNaming(ReboundServices.Running service, String property, String data)
      throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> body(service).contains(property));
    HttpResponse<String> ready = get(service.url() + "/q/health/ready");
    assertEquals(503, ready.statusCode(), ready.body());
    Map<?, ?> health = Json.mapper().readValue(ready.body(), Map.class);
    Map<?, ?> check = ((List<?>) health.get("checks")).stream().map(c -> (Map<?, ?>) c)
        .filter(c -> "configuration".equals(c.get("name"))).findFirst().orElseThrow();
    assertEquals("DOWN", check.get("status"), ready.body());
    String named = String.valueOf(((Map<?, ?>) check.get("data")).get(property));
    assertTrue(named.startsWith(data), named);
    assertEquals(200, get(service.url() + "/q/health/live").statusCode(), "still alive");
  }

  private static void assertOneErrorLine(ReboundServices.Running service, String component, String message)
      throws Exception {
    List<String> lines = Files.readAllLines(service.process().log());
    String expected = "Configuration error, " + component + " takes no work until it is fixed: " + message;
    List<String> errors = lines.stream().filter(l -> l.contains(" ERROR ") && l.contains(expected)).toList();
    assertEquals(1, errors.size(), "one ERROR line for the problem: " + lines);
    assertEquals(List.of(), lines.stream().filter(l -> l.startsWith("\tat ")).toList(), "no stack trace");
  }

  private static int status(ReboundServices.Running service) {
    try {
      return get(service.url() + "/q/health/ready").statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static String body(ReboundServices.Running service) {
    try {
      return get(service.url() + "/q/health/ready").body();
    } catch (Exception e) {
      return "";
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static boolean isRoot() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }
}
