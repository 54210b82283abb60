package dev.rebound.statusreporter.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** Errors in the shape Kubernetes API servers answer with (a {@code v1 Status}), so kubectl-minded tools read them. */
final class KubeStatus {

  private KubeStatus() {}

  static Response failure(int code, String reason, String message) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    status.put("code", code);
    return Response.status(code).type(MediaType.APPLICATION_JSON).entity(status).build();
  }

  static Response notFound(String name) {
    return notFound("restores.velero.io", name);
  }

  /** Kubernetes' 404 for {@code <resource>.<group> "<name>"}. */
  static Response notFound(String groupResource, String name) {
    return failure(404, "NotFound", groupResource + " \"" + name + "\" not found");
  }
}
