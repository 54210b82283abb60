package dev.rebound.statusreporter.restores;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.rebound.servers.LocalServers;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.S3ServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A bucket missing at start is a configuration error: not ready, with the setting and the bucket
 * named, and no restore accepted; once the bucket exists, the next check round (1s here) lets the
 * service work, without a restart.
 */
@QuarkusTest
@WithTestResource(KafkaServerResource.class)
@WithTestResource(S3ServerResource.class)
@TestProfile(MisconfiguredStorageIT.BucketCreatedLater.class)
class MisconfiguredStorageIT {

  static final String BUCKET = "created-later";

  public static class BucketCreatedLater implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("rebound.storage.bucket", BUCKET, "rebound.service.settings-check-interval", "1s");
    }
  }

  @Test
  void aMissingBucketKeepsTheServiceUnreadyAndIdleUntilItExists() throws Exception {
    String endpoint = LocalServers.s3().endpoint();
    given().get("/q/health/ready").then().statusCode(503)
        .body("checks.find { it.name == 'configuration' }.status", equalTo("DOWN"))
        .body("checks.find { it.name == 'configuration' }.data.'rebound.storage.bucket'",
            equalTo("REBOUND_STORAGE_BUCKET: bucket \"" + BUCKET + "\" does not exist at " + endpoint));
    given().get("/q/health/live").then().statusCode(200);
    String body = "{\"metadata\":{\"name\":\"waits-" + System.nanoTime() + "\"},\"spec\":{\"backupName\":\"b\"}}";
    given().contentType(ContentType.JSON).body(body).post("/api/v1/restores").then().statusCode(503)
        .header("Retry-After", "1")
        .body("reason", equalTo("ServiceUnavailable"))
        .body("message", equalTo("the restore log is still being read; try again shortly"))
        .body("details.retryAfterSeconds", equalTo(1));

    LocalServers.s3().createBucket(BUCKET);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
        .body("checks.find { it.name == 'configuration' }.status", equalTo("UP")));
    given().contentType(ContentType.JSON).body(body).post("/api/v1/restores").then().statusCode(201);
  }
}
