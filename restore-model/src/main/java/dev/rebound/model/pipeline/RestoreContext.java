package dev.rebound.model.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rebound.model.velero.ResourceModifiers;
import dev.rebound.model.velero.RestoreSpec;

/**
 * What every item of a restore needs to know about the restore, carried on each
 * {@link ItemTask} so item-restorers keep no state: the resolved spec (namespace mapping,
 * existing-resource policy, preserveNodePorts, restoreStatus, hooks, restorePVs), the resource
 * modifiers the coordinator read from the ConfigMap the spec names (reference 5), and how long the
 * restore's items wait out an unreachable target cluster.
 *
 * @param uid the Restore's uid (Velero's actions and hooks use it)
 * @param resourceModifiers null when the restore names none
 * @param outageTimeoutMillis how long an item may keep meeting transient failures of the target
 *     (no answer, 429, 5xx) before it fails with the last one: the {@code rebound.dev/outage-timeout}
 *     annotation, else the coordinator's default; null from a coordinator that sets none (the
 *     item-restorer then applies {@link #DEFAULT_OUTAGE_TIMEOUT_MILLIS})
 * @param dryRun the restore is a dry run ({@link DryRun}): writes go with {@code dryRun=All}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestoreContext(String uid, RestoreSpec spec, ResourceModifiers resourceModifiers,
    Long outageTimeoutMillis, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean dryRun) {

  /** The outage timeout of a task that carries none: 10 minutes, the coordinator's default. */
  public static final long DEFAULT_OUTAGE_TIMEOUT_MILLIS = 600_000;

  /** A context of a restore that is no dry run. */
  public RestoreContext(String uid, RestoreSpec spec, ResourceModifiers resourceModifiers, Long outageTimeoutMillis) {
    this(uid, spec, resourceModifiers, outageTimeoutMillis, false);
  }

  /** A context without an outage timeout of its own. */
  public RestoreContext(String uid, RestoreSpec spec, ResourceModifiers resourceModifiers) {
    this(uid, spec, resourceModifiers, null);
  }

  /** {@code spec.existingResourcePolicy}, "" when unset. */
  public String existingResourcePolicy() {
    return spec == null || spec.existingResourcePolicy() == null ? "" : spec.existingResourcePolicy();
  }

  /** The outage timeout in milliseconds, the default when the task carries none. */
  public long outageTimeout() {
    return outageTimeoutMillis == null ? DEFAULT_OUTAGE_TIMEOUT_MILLIS : outageTimeoutMillis;
  }
}
