package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.actions.GoUnstructured.GoError;

/**
 * Velero's {@code velero.io/job} restore item action (reference 4; Velero's
 * {@code pkg/restore/actions/job_action.go}): the labels by which the source cluster's Job
 * controller tied the Job to its pods, {@code controller-uid} (Kubernetes up to 1.26) and
 * {@code batch.kubernetes.io/controller-uid} (1.27 on), both carrying the old Job's uid, are removed
 * from {@code spec.selector.matchLabels} and {@code spec.template.metadata.labels}. The target's API
 * server then generates a selector for the new uid instead of rejecting the stale one. Other labels
 * are kept.
 *
 * <p>Velero quirks followed: Velero converts the Job to the typed Go object and back, so
 *
 * <ul>
 *   <li>a {@code matchLabels} or template {@code labels} map left empty (or empty to begin with) is
 *       removed, as the typed object omits empty maps ({@code selector: {}} itself stays);
 *   <li>a malformed field on the way fails the item with the converter's text, e.g. "cannot restore
 *       struct from: string" for a string {@code spec.selector}, "cannot restore map from slice" for
 *       a list of labels, "cannot convert int64 to string" for a numeric label value.
 * </ul>
 *
 * <p>Deliberate difference: the rest of that round trip's normalisation (zero-valued optional
 * fields dropped, {@code creationTimestamp: null} and {@code status: {}} added) is not reproduced;
 * the API server stores the same Job either way.
 */
public final class JobAction implements RestoreItemAction {

  static final String LEGACY_CONTROLLER_UID_LABEL = "controller-uid";
  static final String CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";

  @Override
  public String name() {
    return "velero.io/job";
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return groupResource.equals("jobs.batch");
  }

  @Override
  public ActionOutput execute(ActionInput input) throws ActionException {
    ObjectNode job = input.item();
    JsonNode spec = job.get("spec");
    JsonNode selector = spec == null ? null : spec.get("selector");
    JsonNode template = spec == null ? null : spec.get("template");
    JsonNode templateMetadata = template == null ? null : template.get("metadata");
    try {
      // In the order of the Go types' fields: JobSpec.Selector comes before JobSpec.Template.
      GoUnstructured.requireStruct(spec);
      GoUnstructured.requireStruct(selector);
      GoUnstructured.requireStringMap(selector == null ? null : selector.get("matchLabels"));
      GoUnstructured.requireStruct(template);
      GoUnstructured.requireStruct(templateMetadata);
      GoUnstructured.requireStringMap(templateMetadata == null ? null : templateMetadata.get("labels"));
    } catch (GoError e) {
      throw new ActionException(e.getMessage());
    }
    removeControllerUid(selector, "matchLabels");
    removeControllerUid(templateMetadata, "labels");
    return ActionOutput.of(job);
  }

  private static void removeControllerUid(JsonNode parent, String field) {
    if (!(parent instanceof ObjectNode)) {
      return;
    }
    ObjectNode owner = (ObjectNode) parent;
    if (!(owner.get(field) instanceof ObjectNode)) {
      return;
    }
    ObjectNode labels = (ObjectNode) owner.get(field);
    labels.remove(CONTROLLER_UID_LABEL);
    labels.remove(LEGACY_CONTROLLER_UID_LABEL);
    if (labels.isEmpty()) {
      owner.remove(field);
    }
  }
}
