package dev.rebound.itemrestorer.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.kube.ApiPath;
import dev.rebound.itemrestorer.kube.ApiResponse;
import dev.rebound.itemrestorer.kube.KubeApi;
import dev.rebound.itemrestorer.kube.Retrying;
import dev.rebound.itemrestorer.prepare.ExistingObject;
import dev.rebound.model.Json;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.velero.Labels;

/**
 * What {@link ItemRestore} does when the object it creates already exists (reference 3.8): the
 * {@code existingResourcePolicy} decision ({@link ExistingObject}) carried out against the cluster:
 * nothing, a warning, an update, or a patch of the restore labels only.
 */
final class ExistingObjectRestore {

  private final KubeApi api;
  private final Retrying retrying;
  private final AfterCreate afterCreate;

  ExistingObjectRestore(KubeApi api, Retrying retrying, AfterCreate afterCreate) {
    this.api = api;
    this.retrying = retrying;
    this.afterCreate = afterCreate;
  }

  /**
   * AlreadyExists, or (reference 3.6 step 15) a Service create refused only because its ports are
   * allocated, when a Service of that name exists.
   */
  boolean alreadyExists(ApiResponse created, String kind, ApiPath path, String name) {
    if (created.code() == 409 && created.reason().equals("AlreadyExists")) {
      return true;
    }
    if (!kind.equals("Service") || created.causes().isEmpty()
        || !created.causes().stream().allMatch(m -> m.contains("provided port is already allocated"))) {
      return false;
    }
    return retrying.call(() -> api.get(path, name)).ok();
  }

  /** Reference 3.8: the object exists. */
  void restore(ItemTask task, ApiPath path, String name, ObjectNode item, Outcome outcome)
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
      afterCreate.run(task, path, name, item, existing.object(), outcome);
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
}
