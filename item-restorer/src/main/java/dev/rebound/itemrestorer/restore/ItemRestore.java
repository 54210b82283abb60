package dev.rebound.itemrestorer.restore;

import dev.rebound.model.pipeline.DryRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.actions.ActionException;
import dev.rebound.itemrestorer.actions.ActionInput;
import dev.rebound.itemrestorer.actions.ActionOutput;
import dev.rebound.itemrestorer.actions.RestoreItemAction;
import dev.rebound.itemrestorer.actions.TargetLookups;
import dev.rebound.itemrestorer.modifiers.ResourceModifierRules;
import dev.rebound.itemrestorer.kube.ApiPath;
import dev.rebound.itemrestorer.kube.ApiResponse;
import dev.rebound.itemrestorer.kube.Interruption;
import dev.rebound.itemrestorer.kube.KubeApi;
import dev.rebound.itemrestorer.kube.Retrying;
import dev.rebound.itemrestorer.prepare.ItemPreparation;
import dev.rebound.itemrestorer.prepare.PersistentVolumes;
import dev.rebound.itemrestorer.snapshots.VolumeSnapshotters;
import dev.rebound.model.pipeline.VolumeHint;
import dev.rebound.model.Json;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.RestoreEvent.ItemRestored;
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
 *
 * <p>The steps after a create are {@link AfterCreate}'s; an object that already exists is
 * {@link ExistingObjectRestore}'s; a namespace is {@link NamespaceRestore}'s.
 */
public final class ItemRestore {

  static final String NAMESPACES = "namespaces";
  static final String MIRROR_POD = "kubernetes.io/config.mirror";
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
  private final AfterCreate afterCreate;
  private final ExistingObjectRestore existingObjects;
  private final NamespaceRestore namespaces;
  /** Every write goes with {@code dryRun=All} ({@link KubeApi#dryRun}): a dry run's restorer. */
  private final boolean dryRun;

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
    this.afterCreate = new AfterCreate(api, retrying, waits, sleeper, clock,
        new PodVolumeRestores(api, retrying, veleroNamespace));
    this.existingObjects = new ExistingObjectRestore(api, retrying, afterCreate);
    this.namespaces = new NamespaceRestore(api, retrying, waits, sleeper, clock);
    this.actions = List.copyOf(actions);
    this.lookups = lookups;
    this.api = api;
    this.retrying = retrying;
    this.waits = waits;
    this.sleeper = sleeper;
    this.clock = clock;
    this.worker = worker;
    this.dryRun = api.isDryRun();
  }

  /** @throws Interruption when the thread is interrupted: the item then has no result */
  public ItemRestored restore(ItemTask task) {
    Outcome outcome = new Outcome(task, worker);
    try {
      if (task.groupResource().equals(NAMESPACES)) {
        namespaces.ensure(task, outcome);
      } else {
        restoreObject(task, outcome);
      }
    } catch (InterruptedException e) {
      // Shutting down: the item has no outcome and is left to be delivered again.
      Thread.currentThread().interrupt();
      throw new Interruption("interrupted while restoring " + task.resourceId());
    }
    return outcome.result(clock.instant());
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
    // Step 6: PersistentVolumes (3.7); a dry run makes no volume from a snapshot.
    if (task.groupResource().equals(PERSISTENT_VOLUMES)) {
      if (dryRun && fromSnapshot(task.volume())) {
        outcome.dryRun = DryRun.Verdict.create("its volume would be made from its native snapshot first; a dry run "
            + "makes no volume, so the PersistentVolume was checked as backed up");
      } else if (!persistentVolumes.restore(task, item, info, outcome)) {
        return;
      }
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
    if (created.ok() && dryRun) {
      // Admitted and validated, not stored: nothing after the create runs (status, managedFields,
      // waits, volume data, hooks all need the object).
      outcome.action = ItemAction.CREATED;
      if (outcome.dryRun == null) {
        outcome.dryRun = DryRun.Verdict.create(null);
      }
      return;
    }
    if (created.ok()) {
      outcome.action = ItemAction.CREATED;
      afterCreate.run(task, path, name, item, created.object(), outcome);
      return;
    }
    if (dryRun && created.code() == 404 && !namespace.isEmpty()
        && created.message().equals("namespaces \"" + namespace + "\" not found")) {
      // The restore would create the namespace first (its own item); the server cannot check an
      // object for a namespace that does not exist.
      outcome.action = ItemAction.CREATED;
      outcome.dryRun = DryRun.Verdict.create("namespace " + namespace + " does not exist yet: the restore would "
          + "create it first, so the API server could not check this object");
      return;
    }
    if (dryRun && !notServed(created, item, path).isEmpty()) {
      // Served once a CustomResourceDefinition this restore creates is established (reference 3.14),
      // which a dry run does not create; without one the restore would fail the item with this message.
      outcome.dryRun = DryRun.Verdict.create("not checked: the target cluster does not serve " + path.plural()
          + " in " + item.path("apiVersion").asText() + " now; the restore creates it once the "
          + "CustomResourceDefinition it restores serves it, and fails it otherwise");
      outcome.action = ItemAction.CREATED;
      return;
    }
    if (!existingObjects.alreadyExists(created, kind, path, name)) {
      outcome.error("error restoring " + task.resourceId() + ": " + created.message() + notServed(created, item, path));
      return;
    }
    existingObjects.restore(task, path, name, item, outcome);
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

  /** Whether the coordinator decided the PersistentVolume is restored from its native snapshot. */
  private static boolean fromSnapshot(VolumeHint hint) {
    if (hint == null || hint.persistentVolume() == null) {
      return false;
    }
    return switch (hint.persistentVolume()) {
      case PROVISION, PROVISION_FOR_POD_VOLUME, AS_IS -> false;
      default -> true;
    };
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

  static byte[] bytes(ObjectNode node) {
    try {
      return Json.mapper().writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
