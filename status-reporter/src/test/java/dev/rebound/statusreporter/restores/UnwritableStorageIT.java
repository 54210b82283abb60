package dev.rebound.statusreporter.restores;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.S3ServerResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A backup storage location the restore's log cannot be written to (here: a bucket deleted after
 * the service started; one missing at start is a configuration error, MisconfiguredStorageIT)
 * makes the restore PartiallyFailed with Velero's error (reference 1.4), and listing backups
 * answers 503 with the storage's own message; the service keeps serving.
 */
@QuarkusTest
@WithTestResource(KafkaServerResource.class)
// The bucket exists when the service starts, so the service takes work; the test deletes it.
@WithTestResource(value = S3ServerResource.class,
    initArgs = @ResourceArg(name = "bucket", value = UnwritableStorageIT.BUCKET))
@TestProfile(UnwritableStorageIT.MissingBucket.class)
class UnwritableStorageIT {

  static final String BUCKET = "deleted-bucket";

  public static class MissingBucket implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("rebound.storage.location-name", "primary");
    }
  }

  @Inject S3Client s3;

  @Test
  void aLogThatCannotBeStoredMakesTheRestorePartiallyFailed() throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents()
        .forEach(o -> s3.deleteObject(b -> b.bucket(BUCKET).key(o.key())));
    s3.deleteBucket(b -> b.bucket(BUCKET));
    String name = "unwritable-" + System.nanoTime();
    await().atMost(Duration.ofSeconds(60)).until(() -> given().contentType(ContentType.JSON)
        .body("{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"backupName\":\"nightly\"}}")
        .post("/api/v1/restores").statusCode() == 201);
    RestoreEvents.runToCompletion(name, "nightly");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/restores/" + name).then()
        .body("status.phase", equalTo("PartiallyFailed")).body("status.errors", equalTo(1)));
    given().get("/api/v1/restores/" + name + "/results").then().statusCode(200)
        .body("errors.velero", hasItem(startsWith("error uploading log file to backup storage: cannot write "
            + "s3://" + BUCKET + "/restores/" + name + "/restore-" + name + "-logs.gz: ")));

    given().get("/api/v1/backups").then().statusCode(503)
        .body("message", startsWith("backup storage location primary is unavailable: cannot list "
            + "s3://" + BUCKET + "/backups/: "));
    given().get("/q/health/ready").then().statusCode(200);
  }
}
