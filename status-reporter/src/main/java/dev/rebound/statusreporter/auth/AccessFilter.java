package dev.rebound.statusreporter.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rebound.model.Json;
import dev.rebound.statusreporter.api.KubeStatus;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Every HTTP request passes here before any route: one that needs a right ({@link
 * AccessControl#required}) is authenticated and authorized on a worker thread (the reviews block),
 * then goes on with its caller in the routing context ({@link #CALLER}), or is answered 401, 403
 * or 503 with a Kubernetes {@code Status}.
 */
@ApplicationScoped
public class AccessFilter {

  /** The routing-context key of the request's {@link Identity}. */
  public static final String CALLER = "rebound.caller";

  private static final Logger LOG = Logger.getLogger(AccessFilter.class);

  private final AccessControl access;

  AccessFilter(AccessControl access) {
    this.access = access;
  }

  void register(@Observes Filters filters) {
    filters.register(this::filter, 1_000);
  }

  private void filter(RoutingContext rc) {
    Permission needed = access.required(rc.request().method().name(), rc.normalizedPath());
    if (needed == null) {
      rc.next();
      return;
    }
    if (!access.enabled()) {
      rc.put(CALLER, Identity.ANONYMOUS);
      rc.next();
      return;
    }
    String authorization = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
    rc.vertx().<Decision>executeBlocking(() -> decide(authorization, needed), false).onComplete(result -> {
      Decision decision = result.succeeded() ? result.result()
          : Decision.fail(500, "InternalError", "access check failed: " + result.cause(), null);
      if (decision.caller() != null) {
        rc.put(CALLER, decision.caller());
        rc.next();
      } else {
        if (decision.code() == 401) {
          rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"rebound\"");
        }
        rc.response().setStatusCode(decision.code()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(decision.body());
      }
    });
  }

  private Decision decide(String authorization, Permission needed) {
    Identity caller;
    try {
      caller = access.authenticate(authorization);
    } catch (AuthenticationException e) {
      if (e.unavailable()) {
        LOG.warnf("%s", e.getMessage());
        return Decision.fail(503, "ServiceUnavailable", e.getMessage(), null);
      }
      return Decision.fail(401, "Unauthorized", "Unauthorized: " + e.getMessage(), null);
    }
    try {
      if (!access.allows(caller, needed)) {
        return Decision.forbidden(caller, needed);
      }
    } catch (AuthenticationException e) {
      LOG.warnf("%s", e.getMessage());
      return Decision.fail(503, "ServiceUnavailable", e.getMessage(), null);
    }
    return new Decision(caller, 200, null);
  }

  /** The caller, or the status code and {@code Status} body of the refusal. */
  record Decision(Identity caller, int code, String body) {

    static Decision fail(int code, String reason, String message, Map<String, Object> details) {
      return new Decision(null, code, status(code, reason, message, details));
    }

    static Decision forbidden(Identity caller, Permission needed) {
      jakarta.ws.rs.core.Response response = KubeStatus.forbidden(needed, caller.username());
      try {
        return new Decision(null, 403, Json.mapper().writeValueAsString(response.getEntity()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static String status(int code, String reason, String message, Map<String, Object> details) {
    try {
      return Json.mapper().writeValueAsString(KubeStatus.status(code, reason, message, details));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
