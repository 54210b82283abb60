package dev.rebound.statusreporter.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rebound.model.velero.ObjectMeta;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.model.velero.RestoreStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The list's filters and Kubernetes-style pages ({@code limit}, {@code continue}, {@code remainingItemCount}). */
class RestoreQueryTest {

  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  private static Restore restore(int i, RestorePhase phase, String cluster, String creator, String backup) {
    Map<String, String> annotations = new java.util.HashMap<>();
    annotations.put(RestoresResource.CREATED_BY, creator);
    if (cluster != null) {
      annotations.put(RestoresResource.TARGET_CLUSTERS, cluster);
    }
    return new Restore(Restore.API_VERSION, Restore.KIND, new ObjectMeta("r-" + i, "velero", "uid-" + i, null,
        T0.plusSeconds(i), null, annotations), RestoreSpec.fromBackup(backup), RestoreStatus.phase(phase));
  }

  @SuppressWarnings("unchecked")
  private static List<String> names(Map<String, Object> page) {
    return ((List<Restore>) page.get("items")).stream().map(Restore::name).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> page) {
    return (Map<String, Object>) page.get("metadata");
  }

  @Test
  void pagesNewestFirstWithAContinueTokenThatSurvivesNewSubmissions() {
    List<Restore> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(restore(i, RestorePhase.COMPLETED, null, "alice", "b"));
    }
    Map<String, Object> first = RestoreQuery.of(null, null, null, null, "newest", 2, null).page(all, "default");
    assertEquals(List.of("r-4", "r-3"), names(first));
    assertEquals(3, metadata(first).get("remainingItemCount"));
    all.add(restore(5, RestorePhase.NEW, null, "alice", "b")); // submitted while the operator reads page 1
    String token = (String) metadata(first).get("continue");
    Map<String, Object> second = RestoreQuery.of(null, null, null, null, "newest", 2, token).page(all, "default");
    assertEquals(List.of("r-2", "r-1"), names(second), "no row repeated, none skipped");
    Map<String, Object> last = RestoreQuery.of(null, null, null, null, "newest", 2,
        (String) metadata(second).get("continue")).page(all, "default");
    assertEquals(List.of("r-0"), names(last));
    assertNull(metadata(last).get("continue"));
  }

  @Test
  void filtersByPhaseClusterCreatorAndSearch() {
    List<Restore> all = List.of(
        restore(0, RestorePhase.COMPLETED, null, "alice", "nightly-1"),
        restore(1, RestorePhase.FAILED_VALIDATION, "east", "bob", "weekly-1"),
        restore(2, RestorePhase.IN_PROGRESS, "east,west", "alice", "nightly-2"));
    assertEquals(List.of("r-1", "r-2"),
        names(RestoreQuery.of(null, "east", null, null, null, null, null).page(all, "default")));
    assertEquals(List.of("r-0"),
        names(RestoreQuery.of(null, "default", null, null, null, null, null).page(all, "default")));
    assertEquals(List.of("r-0", "r-1"), names(RestoreQuery.of(null, null, "Completed,FailedValidation", null, null,
        null, null).page(all, "default")));
    assertEquals(List.of("r-0", "r-2"),
        names(RestoreQuery.of(null, null, null, "alice", null, null, null).page(all, "default")));
    assertEquals(List.of("r-0", "r-2"),
        names(RestoreQuery.of("NIGHTLY", null, null, null, null, null, null).page(all, "default")));
  }

  @Test
  void badParametersAreRefusedWithTheParameterNamed() {
    assertEquals("phase: unknown restore phase \"Done\"; one of New, FailedValidation, InProgress, "
        + "WaitingForPluginOperations, WaitingForPluginOperationsPartiallyFailed, Finalizing, FinalizingPartiallyFailed, "
        + "Completed, PartiallyFailed, Failed, Canceled", assertThrows(IllegalArgumentException.class,
            () -> RestoreQuery.of(null, null, "Done", null, null, null, null)).getMessage());
    assertEquals("sort: \"name\" is neither oldest nor newest", assertThrows(IllegalArgumentException.class,
        () -> RestoreQuery.of(null, null, null, null, "name", null, null)).getMessage());
    assertEquals("continue: not a continue token of this API: \"xyz\"", assertThrows(IllegalArgumentException.class,
        () -> RestoreQuery.of(null, null, null, null, null, null, "xyz")).getMessage());
  }
}
