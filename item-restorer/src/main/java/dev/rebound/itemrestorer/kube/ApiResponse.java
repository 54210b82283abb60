package dev.rebound.itemrestorer.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * An API server's answer, kept as bytes. For failures the body is a Kubernetes {@code Status};
 * {@link #message()} is its {@code message}, the text client-go (and so Velero) reports.
 *
 * @param code the HTTP status, or 0 when no answer arrived (connection refused, timeout)
 * @param retryAfter from the {@code Retry-After} header or the Status's {@code details.retryAfterSeconds}
 */
public record ApiResponse(int code, byte[] body, Optional<Duration> retryAfter, String transportError) {

  public static ApiResponse noAnswer(String error) {
    return new ApiResponse(0, new byte[0], Optional.empty(), error);
  }

  public boolean ok() {
    return code >= 200 && code < 300;
  }

  /**
   * Worth trying again: no answer, throttled (429) or a server-side fault (500, 502, 503, 504).
   * Everything else is the server's final word on this request.
   */
  public boolean transientFailure() {
    return code == 0 || code == 429 || code == 500 || code == 502 || code == 503 || code == 504;
  }

  /** The Status {@code reason}, e.g. {@code AlreadyExists}, {@code NotFound}; "" when there is none. */
  public String reason() {
    return status().path("reason").asText("");
  }

  public ObjectNode object() {
    try {
      return (ObjectNode) Json.mapper().readTree(body);
    } catch (IOException | ClassCastException e) {
      throw new IllegalStateException("the API server answered " + code + " with a body that is not a JSON object", e);
    }
  }

  /** What went wrong, in the API server's words (client-go's error string). */
  public String message() {
    if (code == 0) {
      return transportError;
    }
    String message = status().path("message").asText("");
    if (!message.isEmpty()) {
      return message;
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return text.isEmpty() ? "the server responded with HTTP " + code : "the server responded with HTTP " + code + ": " + text;
  }

  /** The causes' messages of an invalid request (Status {@code details.causes[].message}). */
  public java.util.List<String> causes() {
    java.util.List<String> out = new java.util.ArrayList<>();
    status().path("details").path("causes").forEach(c -> out.add(c.path("message").asText("")));
    return out;
  }

  private JsonNode status() {
    if (code == 0 || body.length == 0 || body[0] != '{') {
      return Json.mapper().missingNode();
    }
    try {
      JsonNode node = Json.mapper().readTree(body);
      return "Status".equals(node.path("kind").asText()) ? node : Json.mapper().missingNode();
    } catch (IOException e) {
      return Json.mapper().missingNode();
    }
  }
}
