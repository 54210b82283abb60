package dev.rebound.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.examplerestore.ExampleRestore;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.servers.KubeBinaries;
import dev.rebound.servers.KubeCluster;
import dev.rebound.servers.LocalServers;
import dev.rebound.servers.Ports;
import dev.rebound.servers.S3Server;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.DockerComposeContainer;

/**
 * The top-level {@code docker-compose.yml} as a user runs it (issue 10, scope 2), driven by
 * Testcontainers with Debian's docker-compose 1.29 and the locally built images (never a pull;
 * Ryuk is disabled, so this test brings everything down itself): KRaft Kafka, S3Proxy and the four
 * services with three item-restorers, the example backup restored through the compose stack's API
 * into a real kube-apiserver of its own, and {@code down -v} leaving no container, network or volume.
 */
class ComposeIT {

  private static final Path ROOT = Path.of(System.getProperty("rebound.project.root"));
  /** The compose file's services, all brought up. */
  private static final List<String> SERVICES = List.of("kafka", "s3", "restore-coordinator", "item-restorer",
      "volume-restorer", "status-reporter");

  @Test
  void theComposeStackRestoresTheExampleWithThreeItemRestorersAndLeavesNothingBehind() throws Exception {
    String project = "reboundit" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    String accessKey = "rebound-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    String secretKey = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    // A fresh item payload key, as the compose file's header says to make one.
    byte[] payloadKey = new byte[32];
    new java.security.SecureRandom().nextBytes(payloadKey);
    int apiPort = Ports.free();
    int s3Port = Ports.free();
    // A cluster of its own: the example restore's namespaces would collide with other tests'.
    try (KubeCluster kube = KubeCluster.start(LocalServers.runDir().resolve("compose-kube"), KubeBinaries.locate())) {
      DockerComposeContainer<?> compose = new DockerComposeContainer<>(project, new File(ROOT.toFile(), "docker-compose.yml"),
          quickStart(LocalServers.runDir()).toFile())
          .withPull(false)
          .withRemoveVolumes(true)
          // With a scaled service Testcontainers brings up only the services it is told of.
          .withServices(SERVICES.toArray(String[]::new))
          .withScaledService("item-restorer", 3)
          .withEnv(Map.of(
              "REBOUND_KUBECONFIG", kube.containerKubeconfig().toString(),
              "REBOUND_S3_ACCESS_KEY", accessKey,
              "REBOUND_S3_SECRET_KEY", secretKey,
              "REBOUND_PAYLOAD_KEY", java.util.Base64.getEncoder().encodeToString(payloadKey),
              "REBOUND_API_PORT", Integer.toString(apiPort),
              "REBOUND_S3_PORT", Integer.toString(s3Port)));
      try {
        compose.start();
        RestoreApi api = new RestoreApi("http://127.0.0.1:" + apiPort, kube.adminToken());
        // The API takes restores once the status-reporter is ready, having read the restore log (a
        // submission before is answered 503 with Retry-After, which the example's client waits out);
        // every instance's heartbeat shows the scaled services are up.
        // Eight JVMs starting on two cores, beside other tests: twice in CI (beside the kill matrix) the
        // stack was not ready within 4 and 6 minutes; so they start as the test build's own servers do
        // (quickStart), and a timeout's message carries the containers' states and logs.
        try {
          Awaitility.await("the compose stack's API and three live item-restorers").atMost(Duration.ofMinutes(6))
              .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
              .until(() -> api.get("/q/health/ready").status() == 200 && api.liveInstances("item-restorer") == 3
                  && api.liveInstances("restore-coordinator") == 1);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError(e.getMessage() + "\n" + describe(project), e);
        }

        Properties stack = new Properties();
        stack.setProperty("api.url", "http://127.0.0.1:" + apiPort);
        stack.setProperty("s3.endpoint", "http://127.0.0.1:" + s3Port);
        stack.setProperty("s3.region", S3Server.REGION);
        stack.setProperty("s3.bucket", "velero");
        stack.setProperty("s3.access-key", accessKey);
        stack.setProperty("s3.secret-key", secretKey);
        stack.setProperty("kube.kubeconfig", kube.adminKubeconfig().toString());
        stack.setProperty("api.token", kube.adminToken());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = new ExampleRestore(new PrintStream(printed, true, StandardCharsets.UTF_8)).run(stack);
        String output = printed.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, output);
        Matcher submitted = Pattern.compile("Restore request \"([^\"]+)\" submitted successfully").matcher(output);
        assertTrue(submitted.find(), output);
        JsonNode restore = api.get(submitted.group(1), "").json();
        JsonNode status = restore.path("status");
        assertEquals("Completed", status.path("phase").asText(), restore.toString());
        assertEquals(17, status.path("progress").path("totalItems").asInt(), restore.toString());
        assertEquals(17, status.path("progress").path("itemsRestored").asInt(), restore.toString());
        // Testcontainers makes the compose project name from ours and a random suffix.
        assertEquals(8, names(project, "ps", "-a", "--format", "{{.Names}}").size(),
            "kafka, s3, coordinator, volume-restorer, status-reporter and three item-restorers");
        assertEquals(2, names(project, "volume", "ls", "--format", "{{.Name}}").size(), "kafka-data and s3-data");
      } finally {
        compose.stop();
      }
      for (String[] kind : List.of(new String[] {"ps", "-a", "--format", "{{.Names}}"},
          new String[] {"network", "ls", "--format", "{{.Name}}"},
          new String[] {"volume", "ls", "--format", "{{.Name}}"})) {
        assertEquals(List.of(), names(project, kind), "docker " + String.join(" ", kind));
      }
    }
  }

  /**
   * A compose file over the project's that gives every container the JVM options the test build gives
   * the servers it starts itself ({@code rebound.local-servers.java-options}: C1 only, the serial
   * collector), as {@code JAVA_TOOL_OPTIONS}, which every JVM reads.
   */
  private static Path quickStart(Path directory) throws java.io.IOException {
    String options = System.getProperty("rebound.local-servers.java-options", "").strip();
    StringBuilder yaml = new StringBuilder("version: \"2.4\"\nservices:\n");
    for (String service : SERVICES) {
      yaml.append("  ").append(service).append(":\n    environment:\n      JAVA_TOOL_OPTIONS: \"")
          .append(options).append("\"\n");
    }
    return java.nio.file.Files.writeString(directory.resolve("docker-compose.quick-start.yml"), yaml);
  }

  /** The project's containers with their states, and the last lines of the log of each one not healthy. */
  private static String describe(String project) {
    StringBuilder out = new StringBuilder("compose project " + project + ":\n");
    try {
      List<String> containers = names(project, "ps", "-a", "--format", "{{.Names}}\t{{.Status}}");
      containers.forEach(c -> out.append(c).append('\n'));
      for (String container : containers) {
        if (container.endsWith("(healthy)")) {
          continue;
        }
        String name = container.substring(0, container.indexOf('\t'));
        out.append("---- last lines of ").append(name).append('\n')
            .append(String.join("\n", lastLines(Docker.run("logs", "--tail", "80", name), 12))).append('\n');
      }
    } catch (Exception e) {
      out.append("could not describe the stack: ").append(e);
    }
    return out.toString();
  }

  /** The last {@code count} lines of a log that are not stack frames, each cut to 240 characters. */
  private static List<String> lastLines(String log, int count) {
    List<String> lines = log.lines().filter(l -> !l.stripLeading().startsWith("at "))
        .map(l -> l.length() > 240 ? l.substring(0, 240) : l).toList();
    return lines.subList(Math.max(0, lines.size() - count), lines.size());
  }

  /** The names docker lists (containers, networks or volumes) that belong to the compose project. */
  private static List<String> names(String project, String... list) throws Exception {
    return Docker.run(list).lines().filter(n -> n.startsWith(project)).toList();
  }
}
