package dev.rebound.statusreporter.restores;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.Json;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.S3ServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Against the real broker and S3 server: a restore that ran is Finalizing until its files are in
 * the bucket in Velero's layout (reference 1.4, 2.3), and the backups in the bucket are listed as
 * Velero's sync would show them (1.6).
 */
@QuarkusTest
@WithTestResource(KafkaServerResource.class)
@WithTestResource(S3ServerResource.class)
class RestoreFilesIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String BUCKET = "velero";

  @Inject S3Client s3;

  @BeforeEach
  void bucket() {
    try {
      s3.createBucket(b -> b.bucket(BUCKET));
    } catch (BucketAlreadyOwnedByYouException e) {
      // Created by an earlier test.
    }
  }

  private static void submit(String name, String backup) {
    await().atMost(WAIT).until(() -> given().contentType(ContentType.JSON)
        .body("{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"backupName\":\"" + backup + "\"}}")
        .post("/api/v1/restores").statusCode() == 201);
  }

  private byte[] gunzip(String key) throws IOException {
    byte[] gz = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    try (var in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  @Test
  void aRestoreThatRanEndsOnceVelerosFilesAreInTheBucket() throws Exception {
    String name = "files-" + System.nanoTime();
    submit(name, "nightly");
    RestoreEvents.runToCompletion(name, "nightly");
    await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/restores/" + name).then()
        .body("status.phase", equalTo("Completed")));

    String dir = "restores/" + name + "/";
    List<String> keys = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(dir)).contents().stream()
        .map(S3Object::key).sorted().toList();
    assertEquals(List.of(dir + name + "-volumeinfo.json.gz", dir + "restore-" + name + "-itemoperations.json.gz",
        dir + "restore-" + name + "-logs.gz", dir + "restore-" + name + "-resource-list.json.gz",
        dir + "restore-" + name + "-results.gz"), keys);
    assertEquals("[]\n", new String(gunzip(dir + name + "-volumeinfo.json.gz"), StandardCharsets.UTF_8),
        "6.6: Velero writes the volume info list even when it is empty");

    JsonNode results = Json.mapper().readTree(gunzip(dir + "restore-" + name + "-results.gz"));
    assertEquals(Json.mapper().readTree(given().get("/api/v1/restores/" + name + "/results").asByteArray()), results);
    assertEquals(1, results.at("/warnings/namespaces/shop").size());
    byte[] list = gunzip(dir + "restore-" + name + "-resource-list.json.gz");
    assertEquals(Json.mapper().readTree("{\"v1/ConfigMap\":[\"shop/a(created)\",\"shop/b(failed)\"]}"),
        Json.mapper().readTree(list));
    assertEquals('\n', list[list.length - 1], "one JSON value and a newline, as Go's json.Encoder writes");
    assertEquals("[]\n", new String(gunzip(dir + "restore-" + name + "-itemoperations.json.gz"),
        StandardCharsets.UTF_8));
    String log = new String(gunzip(dir + "restore-" + name + "-logs.gz"), StandardCharsets.UTF_8);
    assertTrue(log.contains("msg=\"Restore submitted\" restore=velero/" + name), log);
    assertTrue(log.contains("msg=\"restore completed with phase Completed\""), log);
    assertEquals(log, given().get("/api/v1/restores/" + name + "/logs").asString());
  }

  @Test
  void backupsAreListedAsVelerosSyncWouldShowThem() {
    put("backups/listed/velero-backup.json", "{\"apiVersion\":\"velero.io/v1\",\"kind\":\"Backup\","
        + "\"metadata\":{\"name\":\"listed\",\"namespace\":\"velero\",\"resourceVersion\":\"12\"},"
        + "\"spec\":{\"includedNamespaces\":[\"shop\"],\"newerVeleroField\":true},"
        + "\"status\":{\"phase\":\"Completed\",\"formatVersion\":\"1.1.0\"}}");
    put("backups/still-finalizing/velero-backup.json", "{\"apiVersion\":\"velero.io/v1\",\"kind\":\"Backup\","
        + "\"metadata\":{\"name\":\"still-finalizing\"},\"status\":{\"phase\":\"Finalizing\"}}");
    put("backups/unreadable/velero-backup.json", "{not json");
    put("backups/no-metadata/no-metadata.tar.gz", "x");

    JsonNode list = Json.mapper().valueToTree(given().get("/api/v1/backups").then().statusCode(200)
        .extract().as(Object.class));
    assertEquals("BackupList", list.path("kind").asText());
    JsonNode listed = null;
    for (JsonNode item : list.path("items")) {
      String backup = item.at("/metadata/name").asText();
      assertTrue(!List.of("still-finalizing", "unreadable", "no-metadata").contains(backup), backup + " is listed");
      if (backup.equals("listed")) {
        listed = item;
      }
    }
    assertTrue(listed != null, list.toString());
    assertEquals("default", listed.at("/spec/storageLocation").asText());
    assertEquals("default", listed.at("/metadata/labels/velero.io~1storage-location").asText());
    assertTrue(listed.at("/metadata/resourceVersion").isMissingNode());
    assertTrue(listed.at("/spec/newerVeleroField").asBoolean(), "fields Rebound does not read are kept");

    given().get("/api/v1/backups/listed").then().statusCode(200).body("status.phase", equalTo("Completed"));
    given().get("/api/v1/backups/still-finalizing").then().statusCode(404);
    given().get("/api/v1/backups/nowhere").then().statusCode(404)
        .body("message", equalTo("backups.velero.io \"nowhere\" not found"));
    given().get("/api/v1/backups/unreadable").then().statusCode(500)
        .body("message", org.hamcrest.Matchers.startsWith(
            "invalid s3://velero/backups/unreadable/velero-backup.json: "));
  }

  /** Issue 13 scope 4: regular-expression namespaces are expanded at submission against the backup's namespaces. */
  @Test
  void regularExpressionNamespacesAreExpandedAgainstTheBackupAtSubmission() throws IOException {
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(("{\"v1/Namespace\":[\"app-1\",\"app-22\",\"payments\"],\"v1/ConfigMap\":[\"app-1/a\","
          + "\"legacy/b\"]}").getBytes(StandardCharsets.UTF_8));
    }
    s3.putObject(b -> b.bucket(BUCKET).key("backups/patterns/patterns-resource-list.json.gz"),
        RequestBody.fromBytes(gz.toByteArray()));
    String body = "{\"metadata\":{\"name\":\"patterns-1\"},\"spec\":{\"backupName\":\"patterns\","
        + "\"includedNamespaces\":[\"payments\",\"/^app-[0-9]+$/\"],\"excludedNamespaces\":[\"/22/\"]}}";
    // The dry run shows the expansion (the console shows it before saving) and stores nothing.
    given().contentType(ContentType.JSON).body(body).post("/api/v1/restores?dryRun=All").then().statusCode(200)
        .body("spec.includedNamespaces", equalTo(List.of("payments", "app-1", "app-22")))
        .body("spec.excludedNamespaces", equalTo(List.of("app-22")));
    given().get("/api/v1/restores/patterns-1").then().statusCode(404);
    await().atMost(WAIT).until(() -> given().contentType(ContentType.JSON).body(body).post("/api/v1/restores")
        .statusCode() == 201);
    given().get("/api/v1/restores/patterns-1").then().statusCode(200)
        .body("spec.includedNamespaces", equalTo(List.of("payments", "app-1", "app-22")));
    given().contentType(ContentType.JSON).body(body.replace("patterns-1", "patterns-2").replace("[0-9]+$", "(["))
        .post("/api/v1/restores").then().statusCode(400).body("message", equalTo("spec.includedNamespaces[1]: "
            + "Invalid value: \"/^app-([/\": invalid regular expression: Unclosed character class near index 6"));
    given().contentType(ContentType.JSON).body("{\"metadata\":{\"name\":\"patterns-3\"},\"spec\":{"
        + "\"backupName\":\"patterns\",\"includedNamespaces\":[\"/^db-/\"]}}").post("/api/v1/restores").then()
        .statusCode(400).body("message", equalTo("spec.includedNamespaces: [/^db-/] match no namespace of the backup "
            + "[app-1, app-22, legacy, payments]; an empty list would mean every namespace"));
  }

  /** A dry run checks the per-cluster namespace mappings as the coordinator does: Velero's flag format, the restore's clusters. */
  @Test
  void aDryRunChecksEachClustersNamespaceMapping() {
    String body = "{\"metadata\":{\"name\":\"fleet-1\",\"annotations\":{\"rebound.dev/target-clusters\":"
        + "\"default,east\",\"rebound.dev/namespace-mappings.east\":\"shop:shop-east\"}},\"spec\":{"
        + "\"backupName\":\"nightly\",\"namespaceMapping\":{\"shop\":\"shop-dr\"}}}";
    given().contentType(ContentType.JSON).body(body).post("/api/v1/restores?dryRun=All").then().statusCode(200)
        .body("status.phase", equalTo("New"))
        .body("spec.namespaceMapping", equalTo(java.util.Map.of("shop", "shop-dr")));
    given().contentType(ContentType.JSON).body(body.replace("mappings.east\":\"shop:shop-east", "mappings.west\":"
        + "\"shop-east")).post("/api/v1/restores?dryRun=All").then().statusCode(200)
        .body("status.phase", equalTo("FailedValidation"))
        .body("status.validationErrors", equalTo(List.of("Invalid annotation rebound.dev/namespace-mappings.west: "
            + "\"west\" is not a target cluster of this restore (default, east)")));
    given().contentType(ContentType.JSON).body(body.replace("shop:shop-east", "shop:")).post(
        "/api/v1/restores?dryRun=All").then().statusCode(200)
        .body("status.validationErrors", equalTo(List.of("Invalid annotation rebound.dev/namespace-mappings.east: "
            + "error parsing \"shop:\": a namespace name cannot be empty")));
  }

  private void put(String key, String content) {
    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(content));
  }
}
