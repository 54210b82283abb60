package dev.rebound.model.velero;

import com.fasterxml.jackson.annotation.JsonValue;

/** Velero's restore phases (reference 2.2, 2.3), written as Velero writes them. */
public enum RestorePhase {
  NEW("New"),
  FAILED_VALIDATION("FailedValidation"),
  IN_PROGRESS("InProgress"),
  WAITING_FOR_PLUGIN_OPERATIONS("WaitingForPluginOperations"),
  WAITING_FOR_PLUGIN_OPERATIONS_PARTIALLY_FAILED("WaitingForPluginOperationsPartiallyFailed"),
  FINALIZING("Finalizing"),
  FINALIZING_PARTIALLY_FAILED("FinalizingPartiallyFailed"),
  COMPLETED("Completed"),
  PARTIALLY_FAILED("PartiallyFailed"),
  FAILED("Failed"),
  /**
   * Rebound's: the restore was canceled (a terminal phase Velero's restores do not have; its design
   * for restore cancellation, velero#10509, names it so). Velero's Restore CRD cannot hold it: a
   * Restore object shows {@code Failed} with the cancellation as its failure reason.
   */
  CANCELED("Canceled");

  private final String value;

  RestorePhase(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }

  public boolean isTerminal() {
    return this == FAILED_VALIDATION || this == COMPLETED || this == PARTIALLY_FAILED || this == FAILED
        || this == CANCELED;
  }
}
