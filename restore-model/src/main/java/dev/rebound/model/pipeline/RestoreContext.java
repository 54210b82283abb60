package dev.rebound.model.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rebound.model.velero.ResourceModifiers;
import dev.rebound.model.velero.RestoreSpec;

/**
 * What every item of a restore needs to know about the restore, carried on each
 * {@link ItemTask} so item-restorers keep no state: the resolved spec (namespace mapping,
 * existing-resource policy, preserveNodePorts, restoreStatus, hooks, restorePVs) and the
 * resource modifiers the coordinator read from the ConfigMap the spec names (reference 5).
 *
 * @param uid the Restore's uid (Velero's actions and hooks use it)
 * @param resourceModifiers null when the restore names none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestoreContext(String uid, RestoreSpec spec, ResourceModifiers resourceModifiers) {

  /** {@code spec.existingResourcePolicy}, "" when unset. */
  public String existingResourcePolicy() {
    return spec == null || spec.existingResourcePolicy() == null ? "" : spec.existingResourcePolicy();
  }
}
