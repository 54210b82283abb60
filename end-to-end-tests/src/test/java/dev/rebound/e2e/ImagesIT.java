package dev.rebound.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.github.dockerjava.api.command.InspectImageResponse;
import dev.rebound.examplerestore.BackupUploader;
import dev.rebound.fixtures.ExampleBackup;
import dev.rebound.model.Json;
import dev.rebound.servers.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * The locally built images as a container runtime runs them (issue 10, scopes 1 and 3), through
 * Testcontainers, never pulled (Ryuk disabled: each container is stopped and removed here):
 * every service runs as uid 10001 on a read-only root filesystem with only /tmp writable, serves
 * {@code /q/health}, and says which setting is wrong when its broker does not answer; the image's
 * HEALTHCHECK command works inside it; the Kafka image is a working KRaft broker and the S3Proxy
 * image a working S3 endpoint, both as non-root users.
 */
class ImagesIT {

  private static final String VERSION = "0.1.0-SNAPSHOT";
  private static final Map<String, Integer> SERVICES = Map.of("restore-coordinator", 8081, "item-restorer", 8082,
      "volume-restorer", 8083, "status-reporter", 8084);
  /** Nothing listens on the discard port of the container's own loopback. */
  private static final String NO_BROKER = "127.0.0.1:9";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  @Test
  void everyServiceRunsAsNonRootOnAReadOnlyRootAndNamesTheSettingThatIsWrong() throws Exception {
    Map<String, GenericContainer<?>> containers = new TreeMap<>();
    SERVICES.forEach((service, port) -> containers.put(service, readOnly(image("rebound/" + service + ":" + VERSION))
        .withExposedPorts(port)
        .withEnv("KAFKA_BOOTSTRAP_SERVERS", NO_BROKER)
        .waitingFor(Wait.forHttp("/q/health/live").forPort(port).forStatusCode(200)
            .withStartupTimeout(Duration.ofMinutes(4)))));
    try {
      // Side by side: four JVMs start faster together than one after another.
      Startables.deepStart(containers.values()).get(5, TimeUnit.MINUTES);
      for (Map.Entry<String, GenericContainer<?>> entry : containers.entrySet()) {
        String service = entry.getKey();
        GenericContainer<?> container = entry.getValue();
        int port = SERVICES.get(service);
        InspectImageResponse image = container.getDockerClient().inspectImageCmd(container.getDockerImageName()).exec();
        assertEquals("10001:10001", image.getConfig().getUser(), service);
        assertEquals("10001", container.execInContainer("id", "-u").getStdout().strip(), service);
        assertEquals(1, container.execInContainer("touch", "/deployments/x").getExitCode(),
            service + ": the root filesystem is read-only");

        String ready = "http://" + container.getHost() + ":" + container.getMappedPort(port) + "/q/health/ready";
        Awaitility.await(service + " reports the broker").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
            .until(() -> configurationCheck(get(ready).body()).path("data").has("kafka.bootstrap.servers"));
        HttpResponse<String> readiness = get(ready);
        assertEquals(503, readiness.statusCode(), readiness.body());
        JsonNode configuration = configurationCheck(readiness.body());
        assertEquals("DOWN", configuration.path("status").asText(), readiness.body());
        assertTrue(configuration.path("data").path("kafka.bootstrap.servers").asText()
            .startsWith("KAFKA_BOOTSTRAP_SERVERS: no Kafka broker answers at \"" + NO_BROKER + "\""), readiness.body());
        Awaitility.await(service + " logs the broker").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
            .until(() -> container.getLogs().contains("Configuration error, " + service
                + " takes no work until it is fixed: kafka.bootstrap.servers (KAFKA_BOOTSTRAP_SERVERS): no Kafka broker"
                + " answers at \"" + NO_BROKER + "\""));

        // The image's own HEALTHCHECK, run where Docker runs it: not ready, so it fails.
        List<String> healthcheck = image.getConfig().getHealthcheck().getTest();
        assertEquals("CMD-SHELL", healthcheck.get(0), healthcheck.toString());
        assertTrue(healthcheck.get(1).contains("/q/health/ready"), healthcheck.toString());
        assertEquals(1, container.execInContainer("sh", "-c", healthcheck.get(1)).getExitCode(), service);
      }
    } finally {
      containers.values().forEach(GenericContainer::stop);
    }
  }

  @Test
  void theKafkaImageIsAKraftBrokerRunAsNonRoot() throws Exception {
    int port = Ports.free();
    try (GenericContainer<?> kafka = readOnly(image("rebound/kafka:4.1.1"))
        .withEnv("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://127.0.0.1:" + port)
        .withEnv("KAFKA_HEAP_OPTS", "-Xmx256m")
        .withTmpFs(Map.of("/tmp", "rw", "/var/lib/kafka", "rw,uid=10001,gid=10001"))
        // The image's HEALTHCHECK: the broker accepts connections.
        .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(3)))) {
      // The broker advertises the host's port: bind that very port.
      kafka.setPortBindings(List.of(port + ":9092"));
      kafka.start();
      assertEquals("10001", kafka.execInContainer("id", "-u").getStdout().strip());
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + port))) {
        assertEquals(1, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
        admin.createTopics(List.of(new NewTopic("images-it", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("images-it"));
      }
    }
  }

  @Test
  void theS3ProxyImageServesVelerosBucketToItsCredentialsOnly() throws Exception {
    String identity = "images-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    String credential = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    try (GenericContainer<?> s3 = readOnly(image("rebound/s3proxy:4.1.0"))
        .withEnv(Map.of("S3PROXY_IDENTITY", identity, "S3PROXY_CREDENTIAL", credential, "S3PROXY_BUCKETS", "velero"))
        .withTmpFs(Map.of("/tmp", "rw", "/data", "rw,uid=10001,gid=10001"))
        .withExposedPorts(8080)
        .waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofMinutes(2)))) {
      s3.start();
      assertEquals("10001", s3.execInContainer("id", "-u").getStdout().strip());
      String endpoint = "http://" + s3.getHost() + ":" + s3.getMappedPort(8080);
      try (BackupUploader uploader = new BackupUploader(endpoint, "us-east-1", identity, credential, "velero")) {
        int objects = uploader.upload(ExampleBackup.build("example"), "");
        assertEquals(objects, uploader.keys("backups/example/").size());
      }
      // Anyone else is refused, in S3's words.
      HttpResponse<String> anonymous = get(endpoint + "/velero?list-type=2");
      assertEquals(403, anonymous.statusCode(), anonymous.body());
      assertTrue(anonymous.body().contains("<Code>AccessDenied</Code>"), anonymous.body());
    }
  }

  /** A locally built image, which must never be pulled (none can be here). */
  private static GenericContainer<?> image(String name) {
    return new GenericContainer<>(DockerImageName.parse(name)).withImagePullPolicy(image -> false);
  }

  /** As the k8s/ Deployments run it: a read-only root filesystem, /tmp writable. */
  private static GenericContainer<?> readOnly(GenericContainer<?> container) {
    return container.withTmpFs(Map.of("/tmp", "rw"))
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withReadonlyRootfs(true));
  }

  /** The readiness check {@code configuration} in a {@code /q/health/ready} answer, or a missing node. */
  private static JsonNode configurationCheck(String health) throws Exception {
    for (JsonNode check : Json.mapper().readTree(health).path("checks")) {
      if (check.path("name").asText().equals("configuration")) {
        return check;
      }
    }
    return MissingNode.getInstance();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
