package dev.rebound.statusreporter.restores;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.S3ServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * Against the real broker and S3 server: each restore that started and has not ended has a
 * {@code rebound_restore_in_progress_start_time_seconds} series with its start time, gone once it
 * ends (after Finalizing, when its files are stored).
 */
@QuarkusTest
@WithTestResource(KafkaServerResource.class)
@WithTestResource(S3ServerResource.class)
class RestoreInProgressMetricIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Inject S3Client s3;

  @Test
  void aStartedRestoreShowsItsStartUntilItEnds() throws Exception {
    try {
      s3.createBucket(b -> b.bucket("velero"));
    } catch (BucketAlreadyOwnedByYouException e) {
      // Created by an earlier test.
    }
    String ending = "ending-" + System.nanoTime();
    String running = "running-" + System.nanoTime();
    submit(ending);
    submit(running);
    assertFalse(startTime(ending).isPresent(), "a New restore has not started");

    Instant endingStart = Instant.parse("2026-03-04T05:06:07.250Z");
    Instant runningStart = Instant.parse("2026-03-04T06:00:00Z");
    RestoreEvents.plan(ending, "nightly", endingStart);
    RestoreEvents.plan(running, "nightly", runningStart);
    await().atMost(WAIT).untilAsserted(() -> {
      assertEquals(OptionalDouble.of(1772600767.25), startTime(ending));
      assertEquals(OptionalDouble.of(1772604000.0), startTime(running));
    });

    RestoreEvents.finish(ending);
    await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/restores/" + ending).then()
        .body("status.phase", equalTo("Completed")));
    await().atMost(WAIT).untilAsserted(() -> assertFalse(startTime(ending).isPresent(), "an ended restore's series goes"));
    assertEquals(OptionalDouble.of(1772604000.0), startTime(running), "the other restore still runs");
  }

  private static void submit(String name) {
    await().atMost(WAIT).until(() -> given().contentType(ContentType.JSON)
        .body("{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"backupName\":\"nightly\"}}")
        .post("/api/v1/restores").statusCode() == 201);
  }

  private static OptionalDouble startTime(String restore) {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher m = Pattern.compile("(?m)^rebound_restore_in_progress_start_time_seconds\\{restore=\"" + restore
        + "\",schedule=\"\"} (\\S+)$").matcher(metrics);
    return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
  }
}
