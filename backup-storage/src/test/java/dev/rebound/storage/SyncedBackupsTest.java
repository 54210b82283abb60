package dev.rebound.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Listed backups follow Velero's backup sync, reference 1.6 steps 4 and 5. */
class SyncedBackupsTest {

  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

  private static ObjectNode backup(String status) throws Exception {
    return (ObjectNode) Json.mapper().readTree("{\"apiVersion\":\"velero.io/v1\",\"kind\":\"Backup\",\"metadata\":{"
        + "\"name\":\"nightly\",\"namespace\":\"velero-old\",\"resourceVersion\":\"4711\",\"uid\":\"u1\","
        + "\"labels\":{\"velero.io/schedule-name\":\"daily\"},\"ownerReferences\":["
        + "{\"apiVersion\":\"velero.io/v1\",\"kind\":\"Schedule\",\"name\":\"daily\",\"uid\":\"s1\"},"
        + "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Owner\",\"name\":\"o\",\"uid\":\"o1\"}]},"
        + "\"spec\":{\"includedNamespaces\":[\"shop\"],\"storageLocation\":\"old-location\"}" + status + "}");
  }

  @Test
  void syncSetsNamespaceLocationAndLabelAndDropsResourceVersionAndScheduleOwners() throws Exception {
    ObjectNode synced = SyncedBackups.synced(backup(",\"status\":{\"phase\":\"Completed\"}"), "velero", "primary", NOW)
        .orElseThrow();
    assertEquals("velero", synced.at("/metadata/namespace").asText());
    assertTrue(synced.at("/metadata/resourceVersion").isMissingNode());
    assertEquals("primary", synced.at("/spec/storageLocation").asText());
    assertEquals("primary", synced.at("/metadata/labels/velero.io~1storage-location").asText());
    assertEquals("daily", synced.at("/metadata/labels/velero.io~1schedule-name").asText());
    assertEquals(1, synced.at("/metadata/ownerReferences").size());
    assertEquals("Owner", synced.at("/metadata/ownerReferences/0/kind").asText());
    assertEquals("Completed", synced.at("/status/phase").asText());
    assertEquals(Json.mapper().readTree("[\"shop\"]"), synced.at("/spec/includedNamespaces"));
  }

  @Test
  void theStoredObjectIsNotChanged() throws Exception {
    ObjectNode stored = backup(",\"status\":{\"phase\":\"Completed\"}");
    String before = stored.toString();
    SyncedBackups.synced(stored, "velero", "default", NOW);
    assertEquals(before, stored.toString());
  }

  @Test
  void aLongLocationNameIsMadeALabelSafeValue() throws Exception {
    String location = "a".repeat(70);
    ObjectNode synced = SyncedBackups.synced(backup(""), "velero", location, NOW).orElseThrow();
    assertEquals(63, synced.at("/metadata/labels/velero.io~1storage-location").asText().length());
    assertEquals(location, synced.at("/spec/storageLocation").asText());
    assertTrue(synced.at("/status").isMissingNode(), "no status is invented for a backup without one");
  }

  @ParameterizedTest(name = "{0} expiring {1}: listed as {2}")
  @CsvSource({
      "WaitingForPluginOperations, , ",
      "WaitingForPluginOperationsPartiallyFailed, 2026-11-23T00:00:00Z, ",
      "Finalizing, 2026-11-23T00:00:00Z, ",
      "FinalizingPartiallyFailed, , ",
      "Finalizing, 2026-11-21T00:00:00Z, PartiallyFailed",
      "WaitingForPluginOperations, 2026-11-21T00:00:00Z, PartiallyFailed",
      "InProgress, , InProgress",
      "PartiallyFailed, , PartiallyFailed",
      "Failed, 2026-11-21T00:00:00Z, Failed"})
  void unfinishedBackupsAreLeftOutUntilTheyExpire(String phase, String expiration, String listedAs) throws Exception {
    String status = ",\"status\":{\"phase\":\"" + phase + "\""
        + (expiration == null ? "" : ",\"expiration\":\"" + expiration + "\"") + "}";
    Optional<ObjectNode> synced = SyncedBackups.synced(backup(status), "velero", "default", NOW);
    assertEquals(Optional.ofNullable(listedAs), synced.map(b -> b.at("/status/phase").asText()));
  }
}
