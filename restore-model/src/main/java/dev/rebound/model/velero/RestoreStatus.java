package dev.rebound.model.velero;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * Velero's {@code RestoreStatus} (reference 2.2). Counts are omitted when zero, as Go's
 * {@code omitempty} does.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record RestoreStatus(
    RestorePhase phase,
    List<String> validationErrors,
    int warnings,
    int errors,
    String failureReason,
    Instant startTimestamp,
    Instant completionTimestamp,
    Progress progress,
    int restoreItemOperationsAttempted,
    int restoreItemOperationsCompleted,
    int restoreItemOperationsFailed,
    HookStatus hookStatus) {

  @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  public record Progress(int totalItems, int itemsRestored) {}

  @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  public record HookStatus(int hooksAttempted, int hooksFailed) {}

  public static RestoreStatus phase(RestorePhase phase) {
    return new RestoreStatus(phase, null, 0, 0, null, null, null, null, 0, 0, 0, null);
  }

  public static RestoreStatus failedValidation(List<String> validationErrors) {
    return new RestoreStatus(RestorePhase.FAILED_VALIDATION, List.copyOf(validationErrors), 0, 0, null, null, null,
        null, 0, 0, 0, null);
  }
}
