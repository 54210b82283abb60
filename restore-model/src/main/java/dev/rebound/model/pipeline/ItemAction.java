package dev.rebound.model.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What happened to an item, as Velero writes it in the restore resource list (reference 1.4).
 * Velero sets {@code created} and {@code updated} explicitly; any other item is {@code skipped}
 * when it produced no warning and no error, else {@code failed} (so an existing object that
 * differs from the backup, which gives a warning, is listed as failed: Velero's own rule).
 */
public enum ItemAction {
  CREATED("created"),
  UPDATED("updated"),
  SKIPPED("skipped"),
  FAILED("failed");

  private final String value;

  ItemAction(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }

  @JsonCreator
  public static ItemAction of(String value) {
    for (ItemAction a : values()) {
      if (a.value.equals(value)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown item action: " + value);
  }

  /** Velero's rule for an item whose action was not set explicitly. */
  public static ItemAction implicit(int warnings, int errors) {
    return warnings == 0 && errors == 0 ? SKIPPED : FAILED;
  }
}
