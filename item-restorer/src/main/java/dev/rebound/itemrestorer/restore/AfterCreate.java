package dev.rebound.itemrestorer.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.actions.ExecHooks;
import dev.rebound.itemrestorer.kube.ApiPath;
import dev.rebound.itemrestorer.kube.ApiResponse;
import dev.rebound.itemrestorer.kube.KubeApi;
import dev.rebound.itemrestorer.kube.Retrying;
import dev.rebound.model.Json;
import dev.rebound.model.filter.IncludesExcludes;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.pipeline.VolumeHint;
import dev.rebound.model.velero.RestoreSpec;
import java.time.Clock;
import java.time.Instant;

/**
 * The steps {@link ItemRestore} runs on an object this restore created, or found created by an
 * earlier delivery of the same item: its status, its managedFields, a pod's volume restores and
 * exec hooks, a CRD's wait.
 */
final class AfterCreate {

  static final String CRDS = "customresourcedefinitions.apiextensions.k8s.io";
  static final String RESTORE_STATUS_ANNOTATION = "velero.io/restore-status";

  private final KubeApi api;
  private final Retrying retrying;
  private final ItemRestore.Waits waits;
  private final Retrying.Sleeper sleeper;
  private final Clock clock;
  private final PodVolumeRestores podVolumeRestores;

  AfterCreate(KubeApi api, Retrying retrying, ItemRestore.Waits waits, Retrying.Sleeper sleeper, Clock clock,
      PodVolumeRestores podVolumeRestores) {
    this.api = api;
    this.retrying = retrying;
    this.waits = waits;
    this.sleeper = sleeper;
    this.clock = clock;
    this.podVolumeRestores = podVolumeRestores;
  }

  /**
   * The steps after a create (3.6 steps 17, 18, 20, 21): status, managedFields, a pod's exec
   * hooks, a CRD's wait. A managedFields patch that fails (not NotFound) ends the item there, as
   * in Velero.
   */
  void run(ItemTask task, ApiPath path, String name, ObjectNode item, ObjectNode created, Outcome outcome)
      throws InterruptedException {
    VolumeHint hint = task.volume();
    if (task.groupResource().equals("persistentvolumeclaims") && hint != null && Boolean.TRUE.equals(hint.provision())
        && !hint.refilledByPodVolume() && !fromVolumeSnapshot(item)) {
      // Not Velero's: its restore says nothing, and a Completed restore reads as "the data is back".
      outcome.warning("the data of persistent volume claim " + name + " was not restored: its volume "
          + task.object().path("spec").path("volumeName").asText() + " is re-provisioned empty by the cluster");
    }
    if (task.groupResource().equals("persistentvolumeclaims") && fromVolumeSnapshot(item)) {
      outcome.restoredVolume = csiSnapshot(name, item);
    }
    ObjectNode current = created;
    if (restoreStatus(task, item) && task.object().has("status")) {
      current = restoreStatus(path, name, current, task.object().get("status"), outcome);
    }
    // Reference 6.2: the pod's volume data, whatever the managedFields patch does.
    if (task.groupResource().equals("pods") && hint != null && hint.podVolumes() != null
        && !hint.podVolumes().isEmpty()) {
      outcome.podVolumeRestores = podVolumeRestores.create(task, current, outcome);
    }
    if (!restoreManagedFields(path, name, item, current, outcome)) {
      return;
    }
    execHooks(task, item, outcome);
    if (task.groupResource().equals(CRDS)) {
      waitForCrd(path, name, outcome);
    }
  }

  /**
   * Step 18: the created object gets the backup's managedFields back (the API server records
   * the create as its own); a merge patch of {@code metadata.managedFields} when they differ.
   */
  private boolean restoreManagedFields(ApiPath path, String name, ObjectNode item, ObjectNode created,
      Outcome outcome) {
    JsonNode wanted = item.path("metadata").path("managedFields");
    if (!wanted.isArray() || wanted.isEmpty() || wanted.equals(created.path("metadata").path("managedFields"))) {
      return true;
    }
    ObjectNode patch = Json.mapper().createObjectNode();
    patch.putObject("metadata").set("managedFields", wanted);
    ApiResponse patched = retrying.call(() -> api.mergePatch(path, name, patch.toString()));
    if (patched.ok()) {
      outcome.log("the managed fields for " + name + " is patched");
    } else if (patched.code() == 404) {
      outcome.warning(patched.message());
    } else {
      outcome.error(patched.message());
      return false;
    }
    return true;
  }

  /**
   * Step 17's decision (reference 3.13, last paragraph): {@code spec.restoreStatus} selects the
   * resources (its names resolved by the coordinator; an empty selection includes everything, as
   * Velero's include/exclude sets do), and the object's {@code velero.io/restore-status}
   * annotation, {@code true} or {@code false} in any case, overrides it.
   */
  static boolean restoreStatus(ItemTask task, ObjectNode item) {
    RestoreSpec spec = task.context().spec();
    boolean restore = spec != null && spec.restoreStatus() != null && new IncludesExcludes(
        spec.restoreStatus().includedResources(), spec.restoreStatus().excludedResources())
        .shouldInclude(task.groupResource());
    JsonNode annotation = item.path("metadata").path("annotations").get(RESTORE_STATUS_ANNOTATION);
    if (annotation != null && annotation.isTextual()) {
      String value = annotation.asText().strip().toLowerCase(java.util.Locale.ROOT);
      if (value.equals("true")) {
        return true;
      }
      if (value.equals("false")) {
        return false;
      }
    }
    return restore;
  }

  /**
   * Step 17: the backed-up status is written through the status subresource, retried on
   * conflicts as client-go's default retry does (5 attempts); a failure is a warning.
   *
   * @return the object as it is now (for the managedFields step)
   */
  private ObjectNode restoreStatus(ApiPath path, String name, ObjectNode created, JsonNode status, Outcome outcome) {
    ObjectNode object = created.deepCopy();
    object.set("status", status);
    ApiResponse updated = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      byte[] body = ItemRestore.bytes(object);
      updated = retrying.call(() -> api.replaceStatus(path, name, body));
      if (updated.code() != 409) {
        break;
      }
      ApiResponse current = retrying.call(() -> api.get(path, name));
      if (current.ok()) {
        object.with("metadata").put("resourceVersion", current.object().path("metadata").path("resourceVersion").asText());
      }
    }
    if (updated.ok()) {
      outcome.log("status of " + name + " restored");
      return updated.object();
    }
    outcome.log("status field update failed " + name + ": " + updated.message());
    outcome.warning(updated.message());
    return created;
  }

  /** Step 20: a pod this restore created hands its exec hooks to the coordinator (3.13). */
  private static void execHooks(ItemTask task, ObjectNode item, Outcome outcome) {
    if (task.groupResource().equals("pods")) {
      outcome.execHooks = ExecHooks.of(item, task.context().spec(), outcome.log);
    }
  }

  /** Reference 3.6 step 21: a CRD this restore created must be Established and NamesAccepted. */
  private void waitForCrd(ApiPath path, String name, Outcome outcome) throws InterruptedException {
    Instant deadline = clock.instant().plus(waits.resourceTimeout());
    while (true) {
      ApiResponse crd = retrying.call(() -> api.get(path, name));
      if (!crd.ok()) {
        outcome.error("error verifying the CRD " + name + " is ready to use: " + crd.message());
        return;
      }
      if (conditionTrue(crd.object(), "Established") && conditionTrue(crd.object(), "NamesAccepted")) {
        outcome.log("CRD " + name + " is ready to use");
        return;
      }
      if (!clock.instant().isBefore(deadline)) {
        outcome.error("the CRD " + name + " is not available to use for custom resources");
        return;
      }
      sleeper.sleep(waits.pollInterval());
    }
  }

  private static boolean conditionTrue(ObjectNode crd, String type) {
    for (JsonNode c : crd.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return true;
      }
    }
    return false;
  }

  /** A claim a CSI action pointed at a restored VolumeSnapshot: the CSI driver provisions it with the data. */
  private static boolean fromVolumeSnapshot(ObjectNode claim) {
    JsonNode source = claim.path("spec").path("dataSource");
    return "VolumeSnapshot".equals(source.path("kind").asText()) && "snapshot.storage.k8s.io".equals(
        source.path("apiGroup").asText());
  }

  /**
   * Velero's restore volume info for a claim provisioned from a restored VolumeSnapshot (reference
   * 6.6): the snapshot handle and driver the backup annotated the snapshot with, its restore size,
   * its content; null when the snapshot cannot be read (Velero leaves the entry out then too).
   */
  private RestoreEvent.RestoredVolume csiSnapshot(String claim, ObjectNode item) {
    String namespace = item.path("metadata").path("namespace").asText();
    ApiPath snapshots = new ApiPath("snapshot.storage.k8s.io", "v1", "volumesnapshots", namespace);
    ApiResponse vs = retrying.call(() -> api.get(snapshots, item.path("spec").path("dataSource").path("name").asText()));
    if (!vs.ok()) {
      return null;
    }
    JsonNode annotations = vs.object().path("metadata").path("annotations");
    long size = 0;
    String restoreSize = vs.object().path("status").path("restoreSize").asText("");
    if (!restoreSize.isEmpty()) {
      try {
        size = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
            new io.fabric8.kubernetes.api.model.Quantity(restoreSize)).longValue();
      } catch (IllegalArgumentException | ArithmeticException e) {
        size = 0;
      }
    }
    return RestoreEvent.RestoredVolume.csiSnapshot(claim, namespace,
        annotations.path("velero.io/csi-volumesnapshot-handle").asText(""), size,
        annotations.path("velero.io/csi-driver-name").asText(""),
        vs.object().path("spec").path("source").path("volumeSnapshotContentName").asText(""));
  }
}
