package dev.rebound.statusreporter.api;

import dev.rebound.statusreporter.auth.AccessControl;
import dev.rebound.statusreporter.auth.AccessFilter;
import dev.rebound.statusreporter.auth.AuthenticationException;
import dev.rebound.statusreporter.auth.Identity;
import dev.rebound.statusreporter.auth.Permission;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v1/self}: who the caller is and whether it may create restores, as a
 * SelfSubjectReview and a SelfSubjectAccessReview would tell it; the console shows its New Restore
 * button from this (the API still decides every request).
 */
@Path("/api/v1/self")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SelfResource {

  private final AccessControl access;
  private final CurrentVertxRequest request;

  SelfResource(AccessControl access, CurrentVertxRequest request) {
    this.access = access;
    this.request = request;
  }

  @GET
  public Response self() {
    Identity caller = request.getCurrent().get(AccessFilter.CALLER);
    Map<String, Object> self = new LinkedHashMap<>();
    self.put("username", caller.username());
    self.put("groups", caller.groups());
    self.put("authenticatedBy", caller.method());
    try {
      self.put("canCreateRestores", access.allows(caller, Permission.admin(access.veleroNamespace())));
    } catch (AuthenticationException e) {
      return KubeStatus.failure(503, "ServiceUnavailable", e.getMessage());
    }
    return Response.ok(self).build();
  }
}
