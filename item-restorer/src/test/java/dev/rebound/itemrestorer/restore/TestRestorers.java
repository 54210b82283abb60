package dev.rebound.itemrestorer.restore;

import dev.rebound.itemrestorer.actions.RestoreItemActions;
import dev.rebound.itemrestorer.kube.ClusterLookups;
import dev.rebound.itemrestorer.kube.KubeApi;
import dev.rebound.itemrestorer.kube.Retrying;
import dev.rebound.itemrestorer.snapshots.VolumeSnapshotters;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;

/** The item restore the integration tests drive: the built-in actions, short waits, a few quick retries. */
final class TestRestorers {

  private TestRestorers() {}

  static ItemRestore itemRestore(KubernetesClient kube, String veleroNamespace, VolumeSnapshotters snapshotters) {
    KubeApi api = new KubeApi(kube, Duration.ofSeconds(30));
    Retrying.Sleeper sleeper = d -> Thread.sleep(d.toMillis());
    Retrying retrying = new Retrying(4, Duration.ofMillis(100), Duration.ofSeconds(2), sleeper);
    return new ItemRestore(api, retrying, new ItemRestore.Waits(Duration.ofMillis(200), Duration.ofSeconds(60),
        Duration.ofSeconds(30)), sleeper, Clock.systemUTC(), "it", RestoreItemActions.builtIn("rebound/restore-helper:it"),
        new ClusterLookups(api, retrying, veleroNamespace), veleroNamespace, snapshotters);
  }
}
