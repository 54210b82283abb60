package dev.rebound.statusreporter.restores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.model.Json;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.ObjectMeta;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.model.velero.RestoreStatus;
import dev.rebound.model.velero.Result;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An ended restore's summary survives the snapshot topic's JSON unchanged. */
class RestoreSummaryTest {

  private static final Instant T0 = Instant.parse("2026-12-06T01:00:00.123Z");
  private final Restore request = Restore.of(new ObjectMeta("r1", "velero", "uid-1", null, T0, null, null),
      RestoreSpec.fromBackup("nightly"));

  private RestoreView view() {
    return new RestoreView(new RestoreEvent.Submitted("r1", request, List.of("default"), T0), 3);
  }

  @Test
  void aCompletedRestoreKeepsItsRestoreAndCountsAndLeavesItsFilesToTheBucket() throws Exception {
    RestoreView v = view();
    v.apply(new RestoreEvent.Planned("r1", "default", request.withStatus(RestoreStatus.phase(RestorePhase.IN_PROGRESS)),
        List.of(new RestoreEvent.WaveSummary(0, "configmaps", 1)), Result.empty(), Result.empty(), T0.plusSeconds(1)));
    v.apply(new RestoreEvent.ItemRestored("r1", "default", 0, new ItemKey("v1/ConfigMap", "shop", "a"),
        ItemAction.CREATED, Result.empty(), Result.empty(), List.of(), "w", T0.plusSeconds(2)));
    v.apply(new RestoreEvent.Finished("r1", "default", RestorePhase.COMPLETED, null, T0.plusSeconds(3)));
    assertEquals(RestorePhase.COMPLETED, v.apply(new RestoreEvent.FilesStored("r1", List.of(), T0.plusSeconds(4))));

    RestoreSummary summary = RestoreSummary.of(v, Map.of("created", 1L));
    String json = Json.mapper().writeValueAsString(summary);
    RestoreSummary read = Json.mapper().readValue(json, RestoreSummary.class);
    assertEquals(Json.mapper().readTree(Json.mapper().writeValueAsString(v.restore())),
        Json.mapper().readTree(Json.mapper().writeValueAsString(read.restore())), json);
    assertEquals(3, read.partition());
    assertEquals(RestorePhase.COMPLETED, read.phase());
    assertEquals(T0.plusSeconds(1), read.start());
    assertEquals(T0.plusSeconds(4), read.completion());
    assertEquals(T0, read.submittedAt());
    assertEquals(Map.of("created", 1L), read.items());
    assertTrue(read.filesInBucket());
    assertNull(read.log(), "the log is in the bucket, not in the snapshot: " + json);
    assertNull(read.results());
  }

  @Test
  void aRestoreThatNeverRanKeepsItsResultsAndLogInTheSummary() throws Exception {
    RestoreView v = view();
    assertEquals(RestorePhase.FAILED_VALIDATION, v.apply(new RestoreEvent.Rejected("r1", "default",
        request.withStatus(RestoreStatus.failedValidation(List.of("backup \"nightly\" not found"))), T0)));
    RestoreSummary read = Json.mapper().readValue(Json.mapper().writeValueAsString(RestoreSummary.of(v, Map.of())),
        RestoreSummary.class);
    assertFalse(read.filesInBucket());
    assertEquals(v.log(), read.log());
    assertEquals(Json.mapper().valueToTree(v.results()), Json.mapper().valueToTree(read.results()));
    assertEquals(Json.mapper().valueToTree(v.resourceList()), Json.mapper().valueToTree(read.resourceList()));
    assertEquals(Json.mapper().valueToTree(v.restore()), Json.mapper().valueToTree(read.restore()));
    assertNull(read.completion());
  }
}
