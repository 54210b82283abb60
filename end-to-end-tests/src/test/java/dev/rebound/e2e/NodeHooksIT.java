package dev.rebound.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.model.Json;
import dev.rebound.servers.LocalServers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restore hooks on a real node (reference 3.13): restored pods run, a post-restore exec hook runs
 * in its container (its file is there, what it printed is in the restore log as Velero logs it), a
 * failing hook with {@code onError: Fail} ends the restore PartiallyFailed with Velero's message,
 * and an init restore hook runs as a real init container before the pod's own containers.
 */
class NodeHooksIT {

  private static final String IMAGE = "rebound/busybox:1.35.0";

  private static Pipeline pipeline;

  private static boolean node;

  @BeforeAll
  static void start() throws Exception {
    // The services first, then the node: the machine's one node is held only while pods must run
    // (a test JVM beside this one waits for it meanwhile).
    pipeline = Pipeline.start("node-hooks");
    LocalServers.kubeWithNode();
    node = true;
  }

  @AfterAll
  static void stop() {
    if (node) {
      LocalServers.releaseNode(); // first: the next user of the node need not wait for the services' stop
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void anExecHookRunsInTheRestoredPodAndItsOutputIsInTheRestoreLog() throws Exception {
    ObjectNode pod = pod("hooks-ok", "app-0");
    pod.with("metadata").with("annotations")
        .put("post.hook.restore.velero.io/command",
            "[\"/bin/sh\", \"-c\", \"echo restored > /tmp/hooked && echo hook says hello\"]")
        .put("post.hook.restore.velero.io/wait-timeout", "2m");
    JsonNode restore = restore("hooks-ok", pod);
    assertEquals("Completed", restore.at("/status/phase").asText(), restore.toString());
    assertEquals(1, restore.at("/status/hookStatus/hooksAttempted").asInt(), restore.toString());
    assertEquals(0, restore.at("/status/hookStatus/hooksFailed").asInt(), restore.toString());
    assertEquals("restored\n", exec("hooks-ok", "app-0", "cat", "/tmp/hooked"), "the hook's file is in the container");
    String log = pipeline.api.get("hooks-ok", "logs").body();
    assertTrue(log.contains("stdout: hook says hello"), log);
  }

  @Test
  void aFailingHookWithOnErrorFailEndsTheRestorePartiallyFailed() throws Exception {
    ObjectNode pod = pod("hooks-fail", "app-0");
    pod.with("metadata").with("annotations")
        .put("post.hook.restore.velero.io/command", "[\"/bin/sh\", \"-c\", \"echo no dump found >&2; exit 7\"]")
        .put("post.hook.restore.velero.io/on-error", "Fail")
        .put("post.hook.restore.velero.io/wait-timeout", "2m");
    JsonNode restore = restore("hooks-fail", pod);
    assertEquals("PartiallyFailed", restore.at("/status/phase").asText(), restore.toString());
    assertEquals(1, restore.at("/status/hookStatus/hooksFailed").asInt(), restore.toString());
    assertEquals("[\"hook <from-annotation> in container app failed to execute, err: command terminated with exit "
        + "code 7\"]", pipeline.api.get("hooks-fail", "results").json().at("/errors/namespaces/hooks-fail").toString());
    String log = pipeline.api.get("hooks-fail", "logs").body();
    assertTrue(log.contains("stderr: no dump found"), log);
  }

  @Test
  void anInitHookRunsAsARealInitContainer() throws Exception {
    ObjectNode pod = pod("hooks-init", "app-0");
    pod.with("metadata").with("annotations")
        .put("init.hook.restore.velero.io/container-image", IMAGE)
        .put("init.hook.restore.velero.io/container-name", "prepare")
        .put("init.hook.restore.velero.io/command", "[\"/bin/sh\", \"-c\", \"echo prepared by the init hook\"]");
    JsonNode restore = restore("hooks-init", pod);
    assertEquals("Completed", restore.at("/status/phase").asText(), restore.toString());
    Pod running = awaitRunning("hooks-init", "app-0");
    assertEquals("prepare", running.getStatus().getInitContainerStatuses().get(0).getName());
    assertEquals(0, running.getStatus().getInitContainerStatuses().get(0).getState().getTerminated().getExitCode());
    String initLog = pipeline.kube.pods().inNamespace("hooks-init").withName("app-0").inContainer("prepare").getLog();
    assertEquals("prepared by the init hook\n", initLog);
  }

  /** A pod as a backup holds it: scheduled on a node of the source cluster, with a shell image. */
  private static ObjectNode pod(String namespace, String name) throws Exception {
    return (ObjectNode) Json.mapper().readTree("""
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "%s", "namespace": "%s", "uid": "0b4c2a5e-8a51-4f0e-9d7e-%012d",
                      "resourceVersion": "4242", "creationTimestamp": "2026-11-30T10:00:00Z",
                      "labels": {"app": "hooked"}, "annotations": {}},
         "spec": {"nodeName": "worker-3", "terminationGracePeriodSeconds": 0,
                  "automountServiceAccountToken": false,
                  "containers": [{"name": "app", "image": "%s", "imagePullPolicy": "IfNotPresent",
                                  "command": ["sh", "-c", "sleep 3600"]}]},
         "status": {"phase": "Running"}}
        """.formatted(name, namespace, Math.abs(namespace.hashCode()), IMAGE));
  }

  private static JsonNode restore(String name, ObjectNode pod) throws Exception {
    String namespace = pod.at("/metadata/namespace").asText();
    pipeline.uploader.upload(VeleroBackupBuilder.named(name).items(List.of(RealisticItems.namespace(namespace), pod))
        .build(), "");
    RestoreApi.Answer submitted = pipeline.api.submit("{\"metadata\": {\"name\": \"" + name + "\"}, \"spec\": "
        + "{\"backupName\": \"" + name + "\"}}", "application/json");
    assertEquals(201, submitted.status(), submitted.body());
    return pipeline.api.awaitEnd(name, Duration.ofMinutes(4), r -> { });
  }

  private static Pod awaitRunning(String namespace, String name) {
    return pipeline.kube.pods().inNamespace(namespace).withName(name)
        .waitUntilCondition(p -> p != null && "Running".equals(p.getStatus().getPhase()), 2, TimeUnit.MINUTES);
  }

  private static String exec(String namespace, String pod, String... command) throws Exception {
    awaitRunning(namespace, pod);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ExecWatch watch = pipeline.kube.pods().inNamespace(namespace).withName(pod).inContainer("app")
        .writingOutput(out).exec(command)) {
      assertEquals(0, watch.exitCode().get(30, TimeUnit.SECONDS));
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
