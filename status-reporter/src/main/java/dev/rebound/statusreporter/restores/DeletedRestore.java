package dev.rebound.statusreporter.restores;

import dev.rebound.model.velero.RestorePhase;
import java.time.Instant;
import java.util.Map;

/**
 * What a deleted restore added to the restore metrics, kept in {@code rebound.restore-snapshots}
 * under {@code __deleted/<uid>} once its summary is removed: Velero's counters and Rebound's item
 * counter and duration timer are totals that a deletion must not lower (a counter that goes down
 * reads as a reset to Prometheus, and {@code increase()} would then count it all again).
 */
public record DeletedRestore(String restore, String schedule, RestorePhase phase, Instant start, Instant completion,
    Map<String, Long> items) {

  /** A share as the snapshot topic holds it (key {@code __deleted/<uid>}); null, logged, when unreadable. */
  static DeletedRestore read(String uid, String json) {
    try {
      return dev.rebound.model.Json.mapper().readValue(json, DeletedRestore.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      org.jboss.logging.Logger.getLogger(DeletedRestore.class).errorf("unreadable share of deleted restore %s in "
          + "rebound.restore-snapshots, not counted: %s", uid, e.getOriginalMessage());
      return null;
    }
  }

  static DeletedRestore of(RestoreSummary summary) {
    return new DeletedRestore(summary.restore().name(), summary.schedule(), summary.phase(), summary.start(),
        summary.completion(), summary.items() == null ? Map.of() : Map.copyOf(summary.items()));
  }
}
