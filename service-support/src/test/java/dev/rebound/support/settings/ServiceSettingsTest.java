package dev.rebound.support.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.support.kube.TargetClusterConfig;
import dev.rebound.support.kube.TargetClustersSettingsCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Work is held back until every check passes, then released once; fixed settings are found again. */
class ServiceSettingsTest {

  @TempDir Path dir;

  record Cluster(Optional<Path> kubeconfig, boolean inCluster) implements TargetClusterConfig {}

  @Test
  void workStartsOnlyOnceTheKubeconfigIsThereAndOnlyOnce() throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    ServiceSettings settings = new ServiceSettings(List.of(new TargetClustersSettingsCheck("rebound.item-restorer",
        Map.of("default", new Cluster(Optional.of(kubeconfig), false)), "default")), Duration.ofSeconds(1),
        "item-restorer");
    AtomicInteger started = new AtomicInteger();
    AtomicInteger clustersPassed = new AtomicInteger();
    settings.onceValid(started::incrementAndGet);
    settings.oncePassed("target-clusters", clustersPassed::incrementAndGet);

    assertFalse(settings.checked());
    settings.runChecks();
    assertTrue(settings.checked());
    assertFalse(settings.valid());
    assertEquals(List.of(new SettingProblem("rebound.item-restorer.clusters.default.kubeconfig",
        "file " + kubeconfig + " does not exist")), settings.problems());
    assertEquals(0, started.get(), "no work while a setting is wrong");

    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: ctx, context: {cluster: c, user: u}}]
        current-context: ctx
        """);
    settings.runChecks();
    assertTrue(settings.valid());
    assertEquals(List.of(), settings.problems());
    assertEquals(1, started.get());
    assertEquals(1, clustersPassed.get());

    settings.runChecks();
    AtomicInteger late = new AtomicInteger();
    settings.onceValid(late::incrementAndGet);
    assertEquals(1, started.get(), "released once");
    assertEquals(1, late.get(), "an action registered once valid runs at once");

    Files.delete(kubeconfig);
    settings.runChecks();
    assertTrue(settings.valid(), "work that started is not taken back");
    assertEquals(1, settings.problems().size());
  }
}
