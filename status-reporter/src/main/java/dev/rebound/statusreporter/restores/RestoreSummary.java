package dev.rebound.statusreporter.restores;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.Result;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An ended restore, as its snapshot keeps it (the value of its key in {@code rebound.restore-snapshots}):
 * the Restore object the API returned at its end, and what {@link RestoreMetrics} counted for it.
 * The results, resource list and log are in it only when they are not all in the bucket (a restore
 * that never ran, or whose files could not all be stored); otherwise the API reads them from there.
 *
 * @param items items recorded, by Velero's resource list action ({@code ItemAction.value()})
 * @param clusters each target cluster's part as it ended (absent in snapshots of older versions)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestoreSummary(Restore restore, Instant submittedAt, int partition, String schedule,
    RestorePhase phase, Instant start, Instant completion, Map<String, Long> items, boolean filesInBucket,
    Map<String, Result> results, Map<String, List<String>> resourceList, String log, List<ClusterStatus> clusters) {

  RestoreSummary withRestore(Restore newRestore) {
    return new RestoreSummary(newRestore, submittedAt, partition, schedule, phase, start, completion, items,
        filesInBucket, results, resourceList, log, clusters);
  }

  /** The summary of a view whose restore ended. */
  static RestoreSummary of(RestoreView view, Map<String, Long> items) {
    boolean inBucket = view.filesInBucket();
    return new RestoreSummary(view.restore(), view.submittedAt(), view.partition(), view.schedule(), view.phase(),
        view.start(), view.completion(), Map.copyOf(items), inBucket, inBucket ? null : view.results(),
        inBucket ? null : view.resourceList(), inBucket ? null : view.log(), view.clusterStatuses());
  }
}
