package dev.rebound.itemrestorer.restore;

import dev.rebound.model.pipeline.DryRun;
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
    boolean dryRun = api.isDryRun();
    if (decision instanceof ExistingObject.Decision.RestoredByThisRestore && dryRun) {
      outcome.dryRun = DryRun.Verdict.skip(null, "already exists, made by an earlier restore of this name");
    } else if (decision instanceof ExistingObject.Decision.RestoredByThisRestore) {
      outcome.action = ItemAction.CREATED;
      outcome.log(kind + " " + name + " was already created by this restore (redelivered item)");
      // The first delivery may have stopped anywhere after its create: the steps after it run again
      // (each gives the same end state), and its result, with a pod's hooks, may never have been written.
      afterCreate.run(task, path, name, item, existing.object(), outcome);
    } else if (decision instanceof ExistingObject.Decision.Unchanged) {
      outcome.log("Restore of " + name + " skipped: it already exists in the cluster and is the same as the backed up version");
      outcome.dryRun = dryRun ? DryRun.Verdict.skip(null, "already exists, identical to the backed-up version") : null;
    } else if (decision instanceof ExistingObject.Decision.Different different) {
      outcome.warning(different.warning());
      outcome.dryRun = dryRun ? DryRun.Verdict.skip(different.diff(), "already exists and differs from the "
          + "backed-up version; not updated (existingResourcePolicy is not update)") : null;
    } else if (decision instanceof ExistingObject.Decision.MergeServiceAccount merge) {
      ApiResponse patched = retrying.call(() -> api.mergePatch(path, name, merge.mergePatch().toString()));
      if (patched.ok()) {
        outcome.dryRun = dryRun ? DryRun.Verdict.update(merge.mergePatch(), "ServiceAccount merged with the "
            + "live one (Velero always merges ServiceAccounts)") : null;
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
      if (dryRun && outcome.action == ItemAction.UPDATED) {
        outcome.dryRun = DryRun.Verdict.update(update.mergePatch(), "already exists and differs from the "
            + "backed-up version; updated (existingResourcePolicy update)");
      } else if (dryRun) {
        // The server refused the update: Velero's restore would warn and only label the object.
        outcome.dryRun = new DryRun.Verdict(DryRun.Verdict.FAIL, update.mergePatch(), "already exists and differs "
            + "from the backed-up version; the update would be refused: " + String.join("; ", outcome.log.stream()
            .filter(l -> l.startsWith("warning: ")).map(l -> l.substring("warning: ".length())).toList()));
      }
    } else {
      labelOnly(path, name, item, outcome);
      if (dryRun && outcome.log.stream().noneMatch(l -> l.startsWith("error: "))) {
        outcome.dryRun = DryRun.Verdict.skip(null, "already exists, identical to the backed-up version; only the "
            + "restore labels would be added");
      }
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
