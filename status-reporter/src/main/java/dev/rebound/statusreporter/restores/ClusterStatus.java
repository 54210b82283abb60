package dev.rebound.statusreporter.restores;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rebound.model.velero.RestorePhase;
import java.time.Instant;

/**
 * One target cluster's part of a restore ({@code GET /api/v1/restores/{name}/clusters}): a restore
 * into several clusters runs one restore per cluster, and the Restore's status sums them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterStatus(String cluster, RestorePhase phase, int totalItems, int itemsRestored, int warnings,
    int errors, String failureReason, Instant completionTimestamp) {}
