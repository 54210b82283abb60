package dev.rebound.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.examplerestore.ExampleRestore;
import dev.rebound.servers.LocalServers;
import dev.rebound.servers.LocalStack;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's main-job command's stack: it comes up with a real node, prints where each component
 * listens and writes the endpoints file; the example restore in it completes and its pods run; it
 * stops on {@code down} or on Ctrl-C (SIGINT) leaving no process.
 */
class LocalStackIT {

  private static final Path ROOT = Path.of(System.getProperty("rebound.project.root"));

  @Test
  void stackComesUpPrintsEndpointsAndStopsOnDown() throws Exception {
    Path state = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "stack-down-");
    Process launcher = launch(state, "run");
    Properties stack = awaitUp(launcher, state);
    List<Long> pids = pids(stack);

    // The main job: the example restored into the stack, and its pods running on the stack's node.
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int exit = new ExampleRestore(new PrintStream(printed, true, StandardCharsets.UTF_8)).run(stack);
    String output = printed.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, output);
    try (KubernetesClient kube = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(
        Files.readString(Path.of(stack.getProperty("kube.kubeconfig"))))).build()) {
      List<Pod> pods = kube.pods().inNamespace(ExampleRestore.TARGET_NAMESPACE).list().getItems();
      assertEquals(3, pods.size(), output); // the web Deployment's two, and the pod with volume data
      assertTrue(pods.stream().allMatch(ExampleRestore::runningAndReady), output);
    }
    assertTrue(output.contains("2/2 Running"), output);
    // The pod whose volume Velero's file-system backup saved started on its restored data.
    assertTrue(output.contains("  | Inventory count: 1,204 items"), output);
    assertTrue(output.contains("  | - renew the TLS certificate"), output);

    Process down = launch(state, "down");
    assertTrue(down.waitFor(90, TimeUnit.SECONDS), "down finishes");
    assertEquals(0, down.exitValue());
    assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the foreground stack exits after down");
    assertEquals(128 + 15, launcher.exitValue(), "the launcher ends by down's SIGTERM, after its shutdown hook");
    assertAllGone(pids);
    assertFalse(Files.exists(state.resolve(LocalStack.STACK_FILE)), "endpoints file removed");
  }

  @Test
  void stackStopsOnCtrlC() throws Exception {
    Path state = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "stack-sigint-");
    Process launcher = launch(state, "run");
    List<Long> pids = pids(awaitUp(launcher, state));

    new ProcessBuilder("kill", "-INT", Long.toString(launcher.pid())).start().waitFor();
    assertTrue(launcher.waitFor(90, TimeUnit.SECONDS), "the stack exits on SIGINT");
    assertAllGone(pids);
    String output = Files.readString(state.resolve("launcher.out"));
    assertTrue(output.contains("Local stack stopped."), output);
  }

  private static Process launch(Path state, String command) throws Exception {
    String classpath = Path.of(LocalStack.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Drebound.project.root=" + ROOT, "-Drebound.state.dir=" + state));
    // The stack's node waits, as this JVM's would, while a test JVM beside this one holds it.
    cmd.addAll(LocalServers.childJvmOptions());
    cmd.addAll(List.of("-cp", classpath, LocalStack.class.getName(), command));
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(state.resolve("launcher.out").toFile())).start();
  }

  private static Properties awaitUp(Process launcher, Path state) throws Exception {
    Path file = state.resolve(LocalStack.STACK_FILE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240 + LocalServers.nodeLockWait().toSeconds());
    // The endpoints file is written just before the "is up" message is printed: wait for both.
    while (!Files.exists(file) || !Files.readString(state.resolve("launcher.out")).contains("Rebound local stack is up")) {
      assertTrue(launcher.isAlive(), "stack exited early: " + Files.readString(state.resolve("launcher.out")));
      assertTrue(System.nanoTime() < deadline, "stack not up in time");
      Thread.sleep(250);
    }
    String output = Files.readString(state.resolve("launcher.out"));
    for (String component : List.of("kafka", "s3proxy", "kube-apiserver", "restore-coordinator",
        "item-restorer", "volume-restorer", "status-reporter")) {
      assertTrue(output.contains("  " + component + " "), component + " not reported: " + output);
    }
    assertTrue(output.contains("Rebound local stack is up"), output);
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    for (String key : List.of("kafka.bootstrap-servers", "s3.endpoint", "s3.bucket", "s3.access-key",
        "kube.api-server", "kube.kubeconfig", "status-reporter.url", "api.url")) {
      assertTrue(p.containsKey(key), key + " missing from " + p.keySet());
    }
    return p;
  }

  private static List<Long> pids(Properties stack) {
    List<Long> pids = new ArrayList<>();
    pids.add(Long.parseLong(stack.getProperty("launcher.pid")));
    for (String pid : stack.getProperty("pids").split(",")) {
      pids.add(Long.parseLong(pid));
    }
    assertTrue(pids.size() >= 12, "launcher, 3 servers + 3 kube processes + 4 services under guards: " + pids);
    return pids;
  }

  private static void assertAllGone(List<Long> pids) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (pids.stream().anyMatch(LocalStackIT::alive) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    for (long pid : pids) {
      assertFalse(alive(pid), "pid " + pid + " left behind");
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
