package dev.rebound.coordinator.plan;

import dev.rebound.model.velero.Result;
import java.util.List;
import java.util.SortedSet;

/**
 * What a restore will do, before any item is restored: the selected items in waves, the target
 * namespaces they need, and the warnings and errors found while reading the backup.
 */
public record RestorePlan(List<Wave> waves, SortedSet<String> targetNamespaces, Result warnings, Result errors,
    String formatVersion) {

  public int totalItems() {
    return waves.stream().mapToInt(w -> w.items().size()).sum();
  }

  /** Every item in restore order. */
  public List<PlannedItem> items() {
    return waves.stream().flatMap(w -> w.items().stream()).toList();
  }
}
