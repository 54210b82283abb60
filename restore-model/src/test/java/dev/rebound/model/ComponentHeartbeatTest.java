package dev.rebound.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ComponentHeartbeatTest {

  private static final ComponentHeartbeat SAMPLE =
      new ComponentHeartbeat(
          "item-restorer",
          "item-restorer-7f3c",
          Instant.parse("2026-11-22T03:00:00Z"),
          Instant.parse("2026-11-22T03:00:05Z"),
          5,
          java.util.List.of("default", "east"));

  @Test
  void serialisesToTheGoldenFile() throws IOException {
    assertEquals(golden().strip(), Json.mapper().writeValueAsString(SAMPLE));
  }

  @Test
  void readsTheGoldenFileAndIgnoresFieldsAddedByNewerWriters() throws IOException {
    assertEquals(SAMPLE, Json.mapper().readValue(golden(), ComponentHeartbeat.class));
    String newer = golden().strip().replace("}", ",\"addedLater\":true}");
    assertEquals(SAMPLE, Json.mapper().readValue(newer, ComponentHeartbeat.class));
  }

  /** Heartbeats of versions before the clusters field: no clusters, read as an empty list. */
  @Test
  void readsAHeartbeatWithoutClusters() throws IOException {
    String older = golden().strip().replace(",\"clusters\":[\"default\",\"east\"]", "");
    ComponentHeartbeat read = Json.mapper().readValue(older, ComponentHeartbeat.class);
    assertEquals(java.util.List.of(), read.clusters());
    assertEquals(SAMPLE.instance(), read.instance());
  }

  @Test
  void instanceIsAliveForThreeIntervalsAfterItsLastHeartbeat() {
    assertTrue(SAMPLE.aliveAt(Instant.parse("2026-11-22T03:00:20Z")));
    assertFalse(SAMPLE.aliveAt(Instant.parse("2026-11-22T03:00:21Z")));
  }

  @Test
  void rejectsANonPositiveInterval() {
    Instant now = Instant.now();
    assertThrows(
        IllegalArgumentException.class, () -> new ComponentHeartbeat("a", "b", now, now, 0));
  }

  @Test
  void componentNamesAreTheModuleNames() {
    assertEquals(Component.ITEM_RESTORER, Component.fromId("item-restorer"));
    assertThrows(IllegalArgumentException.class, () -> Component.fromId("velero"));
  }

  private static String golden() throws IOException {
    try (InputStream in =
        ComponentHeartbeatTest.class.getResourceAsStream("/golden/component-heartbeat.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
