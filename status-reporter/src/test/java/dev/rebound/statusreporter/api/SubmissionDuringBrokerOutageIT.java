package dev.rebound.statusreporter.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.servers.KafkaBroker;
import dev.rebound.servers.LocalServers;
import dev.rebound.testsupport.S3ServerResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A submission the broker cannot acknowledge (README, API table: {@code 503} without
 * {@code Retry-After}): with the real broker SIGKILLed, {@code POST} answers 503 within
 * {@code rebound.status-reporter.submission-timeout}, saying the restore may still have been
 * accepted; the instance keeps answering GETs meanwhile. Once the broker is back the producer delivers
 * the buffered submission, so the restore exists, and a second POST of the name gets 409: what the
 * 503 told the client to check. The broker is this class's own, so killing it disturbs no other test.
 */
@QuarkusTest
@WithTestResource(SubmissionDuringBrokerOutageIT.OwnBroker.class)
@WithTestResource(S3ServerResource.class)
@TestProfile(SubmissionDuringBrokerOutageIT.ShortTimeout.class)
class SubmissionDuringBrokerOutageIT {

  /** A broker for this class only. */
  public static class OwnBroker implements QuarkusTestResourceLifecycleManager {
    static KafkaBroker broker;

    @Override
    public Map<String, String> start() {
      try {
        broker = KafkaBroker.start(LocalServers.runDir().resolve("kafka-outage-" + System.nanoTime()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
          "rebound.service.payload-key", broker.payloadKey());
    }

    @Override
    public void stop() {
      if (broker != null) {
        broker.close();
      }
    }
  }

  public static class ShortTimeout implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("rebound.status-reporter.submission-timeout", "3s");
    }
  }

  private static Response post(String name) {
    return given().contentType(ContentType.JSON)
        .body("{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"backupName\":\"nightly\"}}")
        .post("/api/v1/restores");
  }

  @Test
  void aSubmissionTheBrokerDoesNotAcknowledgeIs503AndTheLogDecidesItOnceTheBrokerIsBack() throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    post("before-outage").then().statusCode(201);

    OwnBroker.broker.kill();
    try {
      long began = System.nanoTime();
      Response answer = post("during-outage");
      long waitedMs = Duration.ofNanos(System.nanoTime() - began).toMillis();
      answer.then().statusCode(503).header("Retry-After", nullValue())
          .body("kind", equalTo("Status")).body("reason", equalTo("ServiceUnavailable"))
          .body("message", startsWith("the restore log did not acknowledge restore \"during-outage\" (waited at most 3s: "))
          .body("message", endsWith("); it may still have been accepted: GET it before submitting it again"));
      assertTrue(waitedMs >= 3_000 && waitedMs < 20_000, "answered after " + waitedMs + " ms");

      // The instance keeps serving what it has read.
      given().get("/api/v1/restores/before-outage").then().statusCode(200)
          .body("metadata.name", equalTo("before-outage"));
      given().get("/q/health/live").then().statusCode(200);
    } finally {
      OwnBroker.broker.restart();
    }

    await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> given().get("/api/v1/restores/during-outage")
        .then().statusCode(200).body("metadata.name", equalTo("during-outage")));
    post("during-outage").then().statusCode(409).body("reason", equalTo("AlreadyExists"))
        .body("message", equalTo("restores.velero.io \"during-outage\" already exists"));
    post("after-outage").then().statusCode(201);
  }
}
