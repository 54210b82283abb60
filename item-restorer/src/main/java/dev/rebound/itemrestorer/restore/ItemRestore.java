package dev.rebound.itemrestorer.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.actions.ActionException;
import dev.rebound.itemrestorer.actions.ActionInput;
import dev.rebound.itemrestorer.actions.ActionOutput;
import dev.rebound.itemrestorer.actions.ExecHooks;
import dev.rebound.itemrestorer.actions.RestoreItemAction;
import dev.rebound.itemrestorer.actions.TargetLookups;
import dev.rebound.itemrestorer.modifiers.ResourceModifierRules;
import dev.rebound.itemrestorer.kube.ApiPath;
import dev.rebound.itemrestorer.kube.ApiResponse;
import dev.rebound.itemrestorer.kube.KubeApi;
import dev.rebound.itemrestorer.kube.Retrying;
import dev.rebound.itemrestorer.prepare.ExistingObject;
import dev.rebound.itemrestorer.prepare.ItemPreparation;
import dev.rebound.itemrestorer.prepare.PersistentVolumes;
import dev.rebound.itemrestorer.snapshots.VolumeSnapshotters;
import dev.rebound.model.filter.IncludesExcludes;
import dev.rebound.model.pipeline.VolumeHint;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.model.Json;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.RestoreEvent.ItemRestored;
import dev.rebound.model.velero.Labels;
import dev.rebound.model.velero.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Restores one item into one cluster, as Velero's {@code restoreItem} does (reference 3.6 steps
 * 3, 5, 7, 8, 10-16, 18, 21; 3.5 for namespaces; 3.8 for existing objects), and reports the outcome as Velero would record it: the action, the
 * warnings and errors under the item's target namespace, and log lines.
 *
 * <p>Creation is idempotent across redeliveries: an existing object that already carries this
 * restore's {@code velero.io/restore-name} label was created by an earlier delivery of the same
 * item and is reported {@code created}, not "already exists".
 */
public final class ItemRestore {

  static final String CRDS = "customresourcedefinitions.apiextensions.k8s.io";
  static final String NAMESPACES = "namespaces";
  static final String MIRROR_POD = "kubernetes.io/config.mirror";
  static final String RESTORE_STATUS_ANNOTATION = "velero.io/restore-status";
  static final String PERSISTENT_VOLUMES = "persistentvolumes";

  /** The waits of reference 3.14 that apply to one item. */
  public record Waits(Duration pollInterval, Duration resourceTimeout, Duration terminatingResourceTimeout) {}

  private final KubeApi api;
  private final Retrying retrying;
  private final Waits waits;
  private final Retrying.Sleeper sleeper;
  private final Clock clock;
  private final String worker;
  private final List<RestoreItemAction> actions;
  private final TargetLookups lookups;
  private final PersistentVolumeRestore persistentVolumes;
  private final PodVolumeRestores podVolumeRestores;

  /**
   * @param actions the restore item actions, in the order they run
   * @param lookups the actions' reads of this cluster
   * @param veleroNamespace the target cluster's Velero namespace (VolumeSnapshotLocations, their credentials)
   * @param snapshotters the VolumeSnapshotters that restore native snapshots
   */
  public ItemRestore(KubeApi api, Retrying retrying, Waits waits, Retrying.Sleeper sleeper, Clock clock, String worker,
      List<RestoreItemAction> actions, TargetLookups lookups, String veleroNamespace, VolumeSnapshotters snapshotters) {
    this.persistentVolumes = new PersistentVolumeRestore(api, retrying, waits, sleeper, clock, veleroNamespace,
        snapshotters);
    this.podVolumeRestores = new PodVolumeRestores(api, retrying, veleroNamespace);
    this.actions = List.copyOf(actions);
    this.lookups = lookups;
    this.api = api;
    this.retrying = retrying;
    this.waits = waits;
    this.sleeper = sleeper;
    this.clock = clock;
    this.worker = worker;
  }

  public ItemRestored restore(ItemTask task) {
    Outcome outcome = new Outcome(task, worker);
    try {
      if (task.groupResource().equals(NAMESPACES)) {
        ensureNamespace(task, outcome);
      } else {
        restoreObject(task, outcome);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome.error("error restoring " + task.resourceId() + ": interrupted");
    }
    return outcome.result(clock.instant());
  }

  /** Reference 3.5: namespaces are ensured, never created through the generic path, never labelled. */
  private void ensureNamespace(ItemTask task, Outcome outcome) throws InterruptedException {
    String name = task.key().name();
    ApiPath path = new ApiPath("", "v1", NAMESPACES, null);
    Instant deadline = clock.instant().plus(waits.terminatingResourceTimeout());
    while (true) {
      ApiResponse existing = retrying.call(() -> api.get(path, name));
      if (existing.ok()) {
        if (!terminating(existing.object())) {
          outcome.log("Namespace " + name + " already exists");
          return; // Velero records nothing for a namespace that existed
        }
        if (!clock.instant().isBefore(deadline)) {
          outcome.veleroError("timed out waiting for terminating namespace " + name
              + " to disappear before restoring: timed out waiting for the condition");
          return;
        }
        sleeper.sleep(waits.pollInterval());
        continue;
      }
      if (existing.code() != 404) {
        outcome.veleroError("error getting namespace " + name + ": " + existing.message());
        return;
      }
      ApiResponse created = retrying.call(() -> api.create(path, bytes(namespaceObject(task.object(), name))));
      if (created.ok()) {
        outcome.action = ItemAction.CREATED;
        outcome.log("Namespace " + name + " created");
        return;
      }
      if (created.code() == 409 && created.reason().equals("AlreadyExists")) {
        continue; // created meanwhile by someone else: check it again (it may be terminating)
      }
      outcome.veleroError("error creating namespace " + name + ": " + created.message());
      return;
    }
  }

  /** Velero copies kind, apiVersion, labels, annotations and spec of the backed-up namespace. */
  static ObjectNode namespaceObject(ObjectNode backedUp, String targetName) {
    ObjectNode ns = Json.mapper().createObjectNode();
    ns.put("apiVersion", backedUp.path("apiVersion").asText("v1"));
    ns.put("kind", backedUp.path("kind").asText("Namespace"));
    ObjectNode metadata = ns.putObject("metadata");
    metadata.put("name", targetName);
    JsonNode from = backedUp.path("metadata");
    if (from.path("labels").isObject()) {
      metadata.set("labels", from.get("labels"));
    }
    if (from.path("annotations").isObject()) {
      metadata.set("annotations", from.get("annotations"));
    }
    if (backedUp.path("spec").isObject()) {
      ns.set("spec", backedUp.get("spec"));
    }
    return ns;
  }

  static boolean terminating(ObjectNode ns) {
    return ns.path("metadata").hasNonNull("deletionTimestamp") || "Terminating".equals(ns.path("status").path("phase").asText());
  }

  private void restoreObject(ItemTask task, Outcome outcome) throws InterruptedException {
    String namespace = task.key().namespace();
    String name = task.key().name();
    ObjectNode fromBackup = task.object();
    // Step 3: a completed pod or job is not restored, and not recorded.
    if (completed(task.groupResource(), fromBackup)) {
      outcome.notRecorded = true;
      outcome.log((namespace.isEmpty() ? "" : namespace + "/") + name + " is complete - skipping");
      return;
    }
    // Step 5: mirror pods belong to a node's kubelet (recorded skipped).
    if (task.groupResource().equals("pods") && !fromBackup.path("metadata").path("annotations")
        .path(MIRROR_POD).asText("").isEmpty()) {
      outcome.log("Not restoring pod because it's a mirror pod");
      return;
    }
    ObjectNode item = fromBackup.deepCopy();
    ActionInput.RestoreInfo info = new ActionInput.RestoreInfo(task.restore(), task.context().uid(),
        task.context().spec());
    // Step 6: PersistentVolumes (3.7).
    if (task.groupResource().equals(PERSISTENT_VOLUMES) && !persistentVolumes.restore(task, item, info, outcome)) {
      return;
    }
    // Step 7: what the source cluster set goes.
    try {
      ItemPreparation.resetMetadataAndStatus(item);
    } catch (IllegalArgumentException e) {
      outcome.error(e.getMessage());
      return;
    }
    // Step 8: the restore item actions, in Velero's order.
    for (RestoreItemAction action : actions) {
      if (!action.appliesTo(task.groupResource())) {
        continue;
      }
      ActionOutput output;
      try {
        output = action.execute(new ActionInput(item, fromBackup, info, lookups, task.volume()));
      } catch (ActionException e) {
        outcome.error("error preparing " + task.resourceId() + ": " + e.getMessage());
        return;
      }
      if (output.skipRestore()) {
        outcome.log("Skipping restore because a registered plugin discarded it");
        return;
      }
      item = output.item();
    }
    // Step 9: a claim follows its volume (re-provisioned, renamed).
    if (task.groupResource().equals("persistentvolumeclaims")) {
      VolumeHint hint = task.volume();
      PersistentVolumes.followVolume(item, hint != null && Boolean.TRUE.equals(hint.provision()),
          hint == null ? null : hint.renamedVolume());
    }
    // Step 10: resource modifiers, on the item still in its source namespace; errors do not stop it.
    if (task.context().resourceModifiers() != null) {
      for (String error : ResourceModifierRules.apply(task.context().resourceModifiers(), item, task.groupResource())) {
        outcome.error(error);
      }
    }
    // Steps 11, 12: target namespace, restore labels.
    if (!namespace.isEmpty()) {
      item.with("metadata").put("namespace", namespace);
    }
    ItemPreparation.addRestoreLabels(item, task.restore(), task.backup());
    String kind = item.path("kind").asText();
    outcome.log("Attempting to restore " + kind + ": " + name + ".");
    if (!item.path("metadata").path("name").asText().equals(name)) {
      // A renamed PersistentVolume: it is created, looked up and reported under its new name.
      name = item.path("metadata").path("name").asText();
      outcome.createdAs = name;
    }
    ApiPath path = ApiPath.of(task.groupResource(), item.path("apiVersion").asText(), namespace);
    byte[] body = bytes(item);
    ApiResponse created = retrying.call(() -> api.create(path, body));
    if (created.ok()) {
      outcome.action = ItemAction.CREATED;
      afterCreate(task, path, name, item, created.object(), outcome);
      return;
    }
    if (!alreadyExists(created, kind, path, name)) {
      outcome.error("error restoring " + task.resourceId() + ": " + created.message() + notServed(created, item, path));
      return;
    }
    existing(task, path, name, item, outcome);
  }

  /**
   * The steps after a create (3.6 steps 17, 18, 20, 21): status, managedFields, a pod's exec
   * hooks, a CRD's wait. A managedFields patch that fails (not NotFound) ends the item there, as
   * in Velero.
   */
  private void afterCreate(ItemTask task, ApiPath path, String name, ObjectNode item, ObjectNode created,
      Outcome outcome) throws InterruptedException {
    VolumeHint hint = task.volume();
    if (task.groupResource().equals("persistentvolumeclaims") && hint != null && Boolean.TRUE.equals(hint.provision())) {
      // Not Velero's: its restore says nothing, and a Completed restore reads as "the data is back".
      outcome.warning("the data of persistent volume claim " + name + " was not restored: its volume "
          + task.object().path("spec").path("volumeName").asText() + " is re-provisioned empty by the cluster");
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

  /** Reference 3.8: the object exists. */
  private void existing(ItemTask task, ApiPath path, String name, ObjectNode item, Outcome outcome)
      throws InterruptedException {
    ApiResponse existing = retrying.call(() -> api.get(path, name));
    if (!existing.ok()) {
      // The object exists but cannot be read; it stays unlabelled.
      outcome.warning(existing.message());
      return;
    }
    String kind = item.path("kind").asText();
    ExistingObject.Decision decision;
    try {
      decision = ExistingObject.decide(item, existing.object(), ExistingObject.Policy.of(task.existingResourcePolicy()),
          task.restore(), task.groupResource().equals("serviceaccounts"));
    } catch (IllegalArgumentException e) {
      outcome.warning(e.getMessage());
      return;
    }
    if (decision instanceof ExistingObject.Decision.RestoredByThisRestore) {
      outcome.action = ItemAction.CREATED;
      outcome.log(kind + " " + name + " was already created by this restore (redelivered item)");
      // The first delivery may have stopped anywhere after its create: the steps after it run again
      // (each gives the same end state), and its result, with a pod's hooks, may never have been written.
      afterCreate(task, path, name, item, existing.object(), outcome);
    } else if (decision instanceof ExistingObject.Decision.Unchanged) {
      outcome.log("Restore of " + name + " skipped: it already exists in the cluster and is the same as the backed up version");
    } else if (decision instanceof ExistingObject.Decision.Different different) {
      outcome.warning(different.warning());
    } else if (decision instanceof ExistingObject.Decision.MergeServiceAccount merge) {
      ApiResponse patched = retrying.call(() -> api.mergePatch(path, name, merge.mergePatch().toString()));
      if (patched.ok()) {
        outcome.action = ItemAction.UPDATED;
        outcome.log("ServiceAccount " + item.path("metadata").path("namespace").asText() + "/" + name
            + " successfully updated");
        return;
      }
      outcome.warning(patched.message());
      if (merge.policy() == ExistingObject.Policy.UPDATE) {
        labelOnly(path, name, item, outcome);
      }
    } else if (decision instanceof ExistingObject.Decision.Update update) {
      update(path, name, update, item, outcome);
    } else {
      labelOnly(path, name, item, outcome);
    }
  }

  private void labelOnly(ApiPath path, String name, ObjectNode item, Outcome outcome) {
    ApiResponse patched = retrying.call(() -> api.mergePatch(path, name, labelPatch(item)));
    if (!patched.ok()) {
      outcome.error(patched.message());
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
   * Reference 3.9: the backed-up version is sent as is; a target that does not serve it answers 404
   * with the API server's generic message, which this makes specific (a {@code policy/v1}
   * PodDisruptionBudget from a newer cluster restored into Kubernetes 1.20, for instance).
   */
  private static String notServed(ApiResponse created, ObjectNode item, ApiPath path) {
    if (created.code() != 404 || !created.message().equals("the server could not find the requested resource")) {
      return "";
    }
    return " (the target cluster does not serve " + path.plural() + " in " + item.path("apiVersion").asText() + ")";
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
      byte[] body = bytes(object);
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

  /** Velero's {@code isCompleted}: a pod that Succeeded or Failed, a job with a completion time. */
  static boolean completed(String groupResource, ObjectNode item) {
    if (groupResource.equals("pods")) {
      String phase = item.path("status").path("phase").asText("");
      return phase.equals("Succeeded") || phase.equals("Failed");
    }
    if (groupResource.equals("jobs.batch")) {
      return !item.path("status").path("completionTime").asText("").isEmpty();
    }
    return false;
  }

  private void update(ApiPath path, String name, ExistingObject.Decision.Update update, ObjectNode item,
      Outcome outcome) {
    ApiResponse patched = retrying.call(() -> api.mergePatch(path, name, update.mergePatch().toString()));
    if (patched.ok()) {
      outcome.action = ItemAction.UPDATED;
      outcome.log(item.path("kind").asText() + " " + name + " successfully updated");
      return;
    }
    outcome.warning(patched.message());
    labelOnly(path, name, item, outcome);
  }

  private static String labelPatch(ObjectNode item) {
    ObjectNode patch = Json.mapper().createObjectNode();
    ObjectNode labels = patch.putObject("metadata").putObject("labels");
    JsonNode desired = item.path("metadata").path("labels");
    labels.put(Labels.BACKUP_NAME, desired.path(Labels.BACKUP_NAME).asText());
    labels.put(Labels.RESTORE_NAME, desired.path(Labels.RESTORE_NAME).asText());
    return patch.toString();
  }

  /**
   * AlreadyExists, or (reference 3.6 step 15) a Service create refused only because its ports are
   * allocated, when a Service of that name exists.
   */
  private boolean alreadyExists(ApiResponse created, String kind, ApiPath path, String name) {
    if (created.code() == 409 && created.reason().equals("AlreadyExists")) {
      return true;
    }
    if (!kind.equals("Service") || created.causes().isEmpty()
        || !created.causes().stream().allMatch(m -> m.contains("provided port is already allocated"))) {
      return false;
    }
    return retrying.call(() -> api.get(path, name)).ok();
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

  private static byte[] bytes(ObjectNode node) {
    try {
      return Json.mapper().writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
