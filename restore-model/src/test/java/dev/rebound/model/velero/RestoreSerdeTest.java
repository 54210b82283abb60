package dev.rebound.model.velero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reference 2.1 and 2.2: every spec and status field survives JSON and YAML both ways. */
class RestoreSerdeTest {

  private static Restore fullRestore() throws IOException {
    try (InputStream in = RestoreSerdeTest.class.getResourceAsStream("/velero/restore-full.yaml")) {
      return Json.yaml().readValue(in, Restore.class);
    }
  }

  @Test
  void everySpecFieldIsReadFromYaml() throws IOException {
    RestoreSpec spec = fullRestore().spec();
    assertEquals("wordpress-daily-20261121020000", spec.backupName());
    assertEquals(List.of("wordpress", "shop-*"), spec.includedNamespaces());
    assertEquals(List.of("shop-test"), spec.excludedNamespaces());
    assertEquals(List.of("*"), spec.includedResources());
    assertEquals(List.of("storageclasses.storage.k8s.io"), spec.excludedResources());
    assertEquals(Map.of("wordpress", "wordpress-restored"), spec.namespaceMapping());
    assertNull(spec.labelSelector());
    assertEquals(Map.of("app", "wordpress"), spec.orLabelSelectors().get(0).matchLabels());
    assertEquals(new LabelSelector.Requirement("tier", "In", List.of("frontend", "cache")),
        spec.orLabelSelectors().get(1).matchExpressions().get(0));
    assertEquals(Boolean.TRUE, spec.restorePVs());
    assertEquals(List.of("workflows"), spec.restoreStatus().includedResources());
    assertEquals(Boolean.FALSE, spec.preserveNodePorts());
    assertEquals(Boolean.TRUE, spec.includeClusterResources());
    assertEquals("update", spec.existingResourcePolicy());
    assertEquals("4h0m0s", spec.itemOperationTimeout());
    assertEquals(new RestoreSpec.TypedLocalObjectReference(null, "ConfigMap", "resource-modifier-rules"),
        spec.resourceModifier());
    assertEquals(new RestoreSpec.UploaderConfig(true, 4), spec.uploaderConfig());
    RestoreSpec.RestoreResourceHookSpec hook = spec.hooks().resources().get(0);
    assertEquals("restore-hook-1", hook.name());
    assertEquals("alpine:latest", hook.postHooks().get(0).init().initContainers().get(0).get("image").asText());
    assertEquals("1m0s", hook.postHooks().get(0).init().timeout());
    RestoreSpec.ExecRestoreHook exec = hook.postHooks().get(1).exec();
    assertEquals(new RestoreSpec.ExecRestoreHook("mysql", List.of("/bin/bash", "-c", "mysql < /backup/backup.sql"),
        "Continue", "1m0s", "5m0s", true), exec);
  }

  @Test
  void everyStatusFieldIsRead() throws IOException {
    RestoreStatus status = fullRestore().status();
    assertEquals(RestorePhase.PARTIALLY_FAILED, status.phase());
    assertEquals(2, status.warnings());
    assertEquals(1, status.errors());
    assertEquals(Instant.parse("2026-11-22T03:00:00Z"), status.startTimestamp());
    assertEquals(Instant.parse("2026-11-22T03:04:10Z"), status.completionTimestamp());
    assertEquals(new RestoreStatus.Progress(412, 412), status.progress());
    assertEquals(new RestoreStatus.HookStatus(1, 1), status.hookStatus());
  }

  @Test
  void jsonAndYamlRoundTripsKeepEveryField() throws IOException {
    Restore restore = fullRestore();
    assertEquals(restore, Json.mapper().readValue(Json.mapper().writeValueAsString(restore), Restore.class));
    assertEquals(restore, Json.yaml().readValue(Json.yaml().writeValueAsString(restore), Restore.class));
  }

  @Test
  void unsetFieldsAndZeroCountsAreOmittedAsGoOmitemptyDoes() throws IOException {
    Restore restore = Restore.of(ObjectMeta.named("r1"), RestoreSpec.fromBackup("b1"))
        .withStatus(RestoreStatus.phase(RestorePhase.NEW));
    JsonNode json = Json.mapper().readTree(Json.mapper().writeValueAsString(restore));
    assertEquals("velero.io/v1", json.get("apiVersion").asText());
    assertEquals("Restore", json.get("kind").asText());
    assertEquals(List.of("backupName"), fieldNames(json.get("spec")));
    assertEquals(List.of("phase"), fieldNames(json.get("status")));
    assertEquals("New", json.get("status").get("phase").asText());
  }

  @Test
  void timestampsAreWrittenAsRfc3339() throws IOException {
    String json = Json.mapper().writeValueAsString(fullRestore().status());
    assertTrue(json.contains("\"startTimestamp\":\"2026-11-22T03:00:00Z\""), json);
    assertFalse(json.contains("1795"), "not epoch seconds: " + json);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
