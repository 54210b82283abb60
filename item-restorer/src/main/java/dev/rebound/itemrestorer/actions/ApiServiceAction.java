package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Velero's {@code velero.io/apiservice} restore item action (reference 4 and 3.10; Velero's
 * {@code pkg/restore/actions/apiservice_action.go}): an APIService that Kubernetes manages itself
 * (the API server's autoregister controller creates one per built-in group version) is not
 * restored, as the target's API server has its own.
 *
 * <p>Velero selects these with the action's label selector, the bare key
 * {@code kube-aggregator.kubernetes.io/automanaged} (an "exists" requirement: any value, including
 * the empty string, matches), evaluated on the item's current labels; the action itself then only
 * answers SkipRestore. Our {@link #appliesTo} has no label selector, so {@link #execute} makes the
 * same check: an APIService without the label goes on unchanged, as if the action had not run.
 * Quirk followed: Velero reads the labels with {@code GetLabels()}, which yields none when any
 * label value is not a string, so such an APIService is restored.
 */
public final class ApiServiceAction implements RestoreItemAction {

  /** Kubernetes' {@code autoregister.AutoRegisterManagedLabel}. */
  static final String AUTOMANAGED_LABEL = "kube-aggregator.kubernetes.io/automanaged";

  @Override
  public String name() {
    return "velero.io/apiservice";
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return groupResource.equals("apiservices.apiregistration.k8s.io");
  }

  @Override
  public ActionOutput execute(ActionInput input) {
    return automanaged(input.item().path("metadata").path("labels"))
        ? ActionOutput.skip(input.item())
        : ActionOutput.of(input.item());
  }

  private static boolean automanaged(JsonNode labels) {
    if (!labels.isObject() || !labels.has(AUTOMANAGED_LABEL)) {
      return false;
    }
    // Go's GetLabels() yields no labels at all when any value is not a string.
    for (JsonNode value : labels) {
      if (!value.isTextual()) {
        return false;
      }
    }
    return true;
  }
}
