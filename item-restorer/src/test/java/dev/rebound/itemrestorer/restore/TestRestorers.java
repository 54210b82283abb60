package dev.rebound.itemrestorer.restore;

import dev.rebound.itemrestorer.actions.RestoreItemActions;
import dev.rebound.itemrestorer.kube.ClusterLookups;
import dev.rebound.itemrestorer.kube.KubeApi;
import dev.rebound.itemrestorer.kube.Retrying;
import dev.rebound.itemrestorer.snapshots.VolumeSnapshotters;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.RestoreContext;
import dev.rebound.model.pipeline.VolumeHint;
import dev.rebound.model.velero.ResourceModifiers;
import dev.rebound.model.velero.RestoreSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;

/** The item restore the integration tests drive (the built-in actions, short waits, a few quick retries) and its tasks. */
final class TestRestorers {

  private TestRestorers() {}

  static ItemRestore itemRestore(KubernetesClient kube, String veleroNamespace, VolumeSnapshotters snapshotters) {
    return itemRestore(kube, veleroNamespace, snapshotters, Duration.ofSeconds(30));
  }

  /** @param requestTimeout how long each API request waits for its answer */
  static ItemRestore itemRestore(KubernetesClient kube, String veleroNamespace, VolumeSnapshotters snapshotters,
      Duration requestTimeout) {
    KubeApi api = new KubeApi(kube, requestTimeout);
    Retrying.Sleeper sleeper = d -> Thread.sleep(d.toMillis());
    Retrying retrying = new Retrying(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(40),
        Duration.ofSeconds(5), sleeper, Clock.systemUTC());
    return new ItemRestore(api, retrying, new ItemRestore.Waits(Duration.ofMillis(200), Duration.ofSeconds(60),
        Duration.ofSeconds(30)), sleeper, Clock.systemUTC(), "it", RestoreItemActions.builtIn("rebound/restore-helper:it"),
        new ClusterLookups(api, retrying, veleroNamespace), veleroNamespace, snapshotters);
  }

  /**
   * The task of one backed-up item of backup {@code nightly} into cluster {@code default}, wave 1;
   * the restore's UID is {@code uid-<restore>}.
   *
   * @param namespace the item's target namespace, null for a cluster-scoped item
   */
  static ItemTask task(String restore, String groupResource, String namespace, ObjectNode object, RestoreSpec spec,
      ResourceModifiers modifiers, VolumeHint volume) {
    ItemKey key = new ItemKey(object.path("apiVersion").asText() + "/" + object.path("kind").asText(),
        namespace == null ? "" : namespace, object.path("metadata").path("name").asText());
    return new ItemTask(restore, "nightly", "default", 1, key, groupResource,
        object.path("metadata").path("namespace").asText(null), new RestoreContext("uid-" + restore, spec, modifiers),
        object, volume);
  }
}
