package dev.rebound.examplerestore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** A client of Rebound's restore API ({@code /api/v1/restores}), as a script or the CLI would use it. */
public final class RestoreApi {

  private static final Set<String> ENDED = Set.of("Completed", "PartiallyFailed", "Failed", "FailedValidation",
      "Canceled");

  /** An answer: its HTTP status and body. */
  public record Answer(int status, String body) {
    public JsonNode json() {
      try {
        return Json.mapper().readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON (HTTP " + status + "): " + body, e);
      }
    }
  }

  /** How long {@link #submit} waits out 503s of an API that is still reading the restore log. */
  public static final Duration UNAVAILABLE_PATIENCE = Duration.ofMinutes(2);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  /**
   * @param base the API's base URL, e.g. {@code http://127.0.0.1:8084}
   * @param token the bearer token sent with every request (a Kubernetes token of the management
   *     cluster or an OIDC ID token); {@code null} sends none, for an API with authentication off
   */
  public RestoreApi(String base, String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  /**
   * {@code POST /api/v1/restores} with a Restore in JSON or YAML ({@code contentType}). A 503 with
   * {@code Retry-After} (the API has not read the restore log yet) is retried as the server asks,
   * for at most {@link #UNAVAILABLE_PATIENCE}; any other answer is returned as it is.
   */
  public Answer submit(String restore, String contentType) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(UNAVAILABLE_PATIENCE);
    while (true) {
      HttpResponse<String> response = exchange(HttpRequest.newBuilder(URI.create(base + "/api/v1/restores"))
          .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(restore)));
      Optional<Duration> retryAfter = response.statusCode() == 503
          ? response.headers().firstValue("Retry-After").flatMap(RestoreApi::seconds)
          : Optional.empty();
      if (retryAfter.isEmpty() || Instant.now().plus(retryAfter.get()).isAfter(deadline)) {
        return new Answer(response.statusCode(), response.body());
      }
      Thread.sleep(retryAfter.get().toMillis());
    }
  }

  private static Optional<Duration> seconds(String retryAfter) {
    try {
      return Optional.of(Duration.ofSeconds(Math.max(1, Long.parseLong(retryAfter.trim()))));
    } catch (NumberFormatException e) {
      return Optional.empty(); // an HTTP date: not sent by Rebound, so not waited for
    }
  }

  /** {@code GET /api/v1/restores/<name>[/<part>]}; part is "", results, resources or logs. */
  public Answer get(String name, String part) throws IOException, InterruptedException {
    String path = "/api/v1/restores/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + (part.isEmpty() ? "" : "/" + part);
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  /** {@code DELETE /api/v1/restores/<name>}: the restore and its files go (super-admins only). */
  public Answer delete(String name) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + "/api/v1/restores/"
        + URLEncoder.encode(name, StandardCharsets.UTF_8))).DELETE());
  }

  /**
   * {@code POST /api/v1/restores/<name>/cancel}: stops a running restore (super-admins only);
   * {@code 200} once it ended, {@code 202} while it still ends.
   */
  public Answer cancel(String name) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + "/api/v1/restores/"
        + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/cancel")).POST(HttpRequest.BodyPublishers.noBody()));
  }

  public Answer get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  /** How many live instances of a service {@code GET /api/v1/components} lists (from their heartbeats). */
  public int liveInstances(String component) throws IOException, InterruptedException {
    int live = 0;
    for (JsonNode instance : get("/api/v1/components").json()) {
      if (component.equals(instance.path("component").asText())) {
        live++;
      }
    }
    return live;
  }

  /**
   * Polls the restore until it ends; each poll's Restore goes to {@code progress}.
   *
   * @return the ended Restore
   */
  public JsonNode awaitEnd(String name, Duration timeout, Consumer<JsonNode> progress)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      Answer answer = get(name, "");
      if (answer.status() != 200) {
        throw new IOException("GET restore " + name + ": HTTP " + answer.status() + " " + answer.body());
      }
      JsonNode restore = answer.json();
      progress.accept(restore);
      if (ENDED.contains(restore.path("status").path("phase").asText())) {
        return restore;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IOException("restore " + name + " did not end within " + timeout + "; last status: "
            + restore.path("status"));
      }
      Thread.sleep(500);
    }
  }

  private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response = exchange(request);
    return new Answer(response.statusCode(), response.body());
  }

  private HttpResponse<String> exchange(HttpRequest.Builder request) throws IOException, InterruptedException {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
