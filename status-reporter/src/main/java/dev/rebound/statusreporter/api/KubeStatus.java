package dev.rebound.statusreporter.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** Errors in the shape Kubernetes API servers answer with (a {@code v1 Status}), so kubectl-minded tools read them. */
public final class KubeStatus {

  private KubeStatus() {}

  static Response failure(int code, String reason, String message) {
    return Response.status(code).type(MediaType.APPLICATION_JSON).entity(status(code, reason, message, null)).build();
  }

  /** A {@code v1 Status} failure body; {@code details} may be null. */
  public static Map<String, Object> status(int code, String reason, String message, Map<String, Object> details) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    if (details != null && !details.isEmpty()) {
      status.put("details", details);
    }
    status.put("code", code);
    return status;
  }

  /**
   * Kubernetes' 503 for a server that cannot answer yet: a {@code Retry-After} header and
   * {@code details.retryAfterSeconds}, which clients (client-go, kubectl, {@code RestoreApi}) honour.
   */
  static Response unavailable(String message, int retryAfterSeconds) {
    return Response.status(503).type(MediaType.APPLICATION_JSON).header("Retry-After", retryAfterSeconds)
        .entity(status(503, "ServiceUnavailable", message, Map.of("retryAfterSeconds", retryAfterSeconds))).build();
  }

  /**
   * Kubernetes' 403 for a caller without {@code needed}: the API server's wording, and the
   * permission in {@code details} (name, group, kind) for a resource.
   */
  public static Response forbidden(dev.rebound.statusreporter.auth.Permission needed, String username) {
    Map<String, Object> details = new LinkedHashMap<>();
    if (!needed.nonResource()) {
      if (needed.name() != null) {
        details.put("name", needed.name());
      }
      details.put("group", needed.group());
      details.put("kind", needed.resource());
    }
    return Response.status(403).type(MediaType.APPLICATION_JSON)
        .entity(status(403, "Forbidden", needed.forbidden(username), details)).build();
  }

  static Response notFound(String name) {
    return notFound("restores.velero.io", name);
  }

  /** Kubernetes' 404 for {@code <resource>.<group> "<name>"}. */
  static Response notFound(String groupResource, String name) {
    return failure(404, "NotFound", groupResource + " \"" + name + "\" not found");
  }
}
