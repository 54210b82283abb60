package dev.rebound.coordinator.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.model.pipeline.ExecHook;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.support.kube.TargetClusters;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.KubeServerResource;
import dev.rebound.testsupport.S3ServerResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Exec hooks against the real kube-apiserver and a real node (reference 3.13): a pod that runs gets
 * its hooks executed in its container through the exec subresource, with what they print; a pod
 * that no node may take stays Pending, so the waits, their timeouts and the API server's refusal
 * of an exec into an unscheduled pod are real too.
 */
@QuarkusTest
@WithTestResource(KafkaServerResource.class)
@WithTestResource(S3ServerResource.class)
@WithTestResource(value = KubeServerResource.class, initArgs = {
    @ResourceArg(name = "prefix", value = "rebound.coordinator"), @ResourceArg(name = "node", value = "true")})
class HookRunnerIT {

  @Inject TargetClusters clusters;

  private String pendingPod(KubernetesClient kube) {
    String ns = "hooks-" + UUID.randomUUID().toString().substring(0, 8);
    kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    kube.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("db-0").endMetadata()
        .withNewSpec().withAutomountServiceAccountToken(false).withNodeSelector(Map.of("rebound.dev/no-such", "node"))
        .addNewContainer().withName("db").withImage("postgres:16").endContainer().endSpec().build())
        .create();
    return ns;
  }

  @Test
  void hooksOfARunningPodExecuteInItsContainerAndTheirOutputIsLogged() throws Exception {
    KubernetesClient kube = clusters.defaultClient();
    String ns = "hooks-" + UUID.randomUUID().toString().substring(0, 8);
    kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    kube.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("app-0").endMetadata()
        .withNewSpec().withAutomountServiceAccountToken(false).withTerminationGracePeriodSeconds(0L)
        .addNewContainer().withName("app").withImage("rebound/busybox:1.35.0").withImagePullPolicy("Never")
        .withCommand("sh", "-c", "sleep 3600").endContainer().endSpec().build()).create();
    HookRunner runner = new HookRunner(new KubePods(kube), Clock.systemUTC(), Duration.ofMillis(200),
        d -> Thread.sleep(d.toMillis()));
    HookRunner.Outcome out = runner.run(new ItemKey("v1/Pod", ns, "app-0"), List.of(
        new ExecHook(ExecHook.FROM_ANNOTATION, ExecHook.SOURCE_ANNOTATION, 0, "app",
            List.of("sh", "-c", "echo restored > /tmp/hooked && echo wrote /tmp/hooked && echo careful >&2"),
            "", 0, 60_000, false)), () -> false);
    assertEquals(new HookRunner.Outcome(1, 0, List.of(), out.log()), out, out.log().toString());
    assertTrue(out.log().contains("stdout: wrote /tmp/hooked\n"), out.log().toString());
    assertTrue(out.log().contains("stderr: careful\n"), out.log().toString());
    assertEquals(new HookRunner.Output("restored\n", ""),
        new KubePods(kube).exec(ns, "app-0", "app", List.of("cat", "/tmp/hooked"), 10_000),
        "the hook's file is in the container");

    HookRunner.HookFailure failed = assertThrows(HookRunner.HookFailure.class,
        () -> new KubePods(kube).exec(ns, "app-0", "app", List.of("sh", "-c", "echo half; exit 3"), 10_000));
    assertEquals("command terminated with exit code 3", failed.getMessage());
    assertEquals(new HookRunner.Output("half\n", ""), failed.output());
  }

  @Test
  void hooksOfAPodThatNeverRunsFailAfterTheirWaitTimeout() throws Exception {
    KubernetesClient kube = clusters.defaultClient();
    String ns = pendingPod(kube);
    HookRunner runner = new HookRunner(new KubePods(kube), Clock.systemUTC(), Duration.ofMillis(200),
        d -> Thread.sleep(d.toMillis()));
    long start = System.nanoTime();
    HookRunner.Outcome out = runner.run(new ItemKey("v1/Pod", ns, "db-0"), List.of(
        new ExecHook(ExecHook.FROM_ANNOTATION, ExecHook.SOURCE_ANNOTATION, 0, "db", List.of("pg_restore", "/dump"),
            "", 0, 2_000, false),
        new ExecHook("extra", ExecHook.SOURCE_SPEC, 0, "missing", List.of("true"), "", 0, 0, false)), () -> false);
    long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertTrue(waited >= 2_000 && waited < 20_000, waited + " ms");
    assertEquals(1, out.attempted(), "the hook of a container the pod lacks is discarded");
    assertEquals(1, out.failed());
    assertEquals(List.of("hook <from-annotation> in container db in pod " + ns + "/db-0 not executed: context "
        + "deadline exceeded"), out.errors());
  }

  @Test
  void theExecCallGoesThroughTheApiServersExecSubresource() {
    KubernetesClient kube = clusters.defaultClient();
    String ns = pendingPod(kube);
    HookRunner.HookFailure refused = assertThrows(HookRunner.HookFailure.class,
        () -> new KubePods(kube).exec(ns, "db-0", "db", List.of("true"), 5_000));
    // No node may take the pod, so the API server cannot proxy the call: it refuses it.
    // (Kubernetes 1.20 answers the upgrade with 400: "pod db-0 does not have a host assigned".)
    assertEquals("WebSocket upgrade failure: 400", refused.getMessage());
    assertEquals("command is required",
        assertThrows(HookRunner.HookFailure.class, () -> new KubePods(kube).exec(ns, "db-0", "db", List.of(), 5_000))
            .getMessage());
  }
}
