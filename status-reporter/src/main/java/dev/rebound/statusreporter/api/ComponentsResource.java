package dev.rebound.statusreporter.api;

import dev.rebound.model.ComponentHeartbeat;
import dev.rebound.statusreporter.components.ComponentRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/** {@code GET /api/v1/components}: the live instances of every service, from their heartbeats. */
@Path("/api/v1/components")
@Produces(MediaType.APPLICATION_JSON)
public class ComponentsResource {

  private final ComponentRegistry registry;

  ComponentsResource(ComponentRegistry registry) {
    this.registry = registry;
  }

  @GET
  public List<ComponentHeartbeat> live() {
    return registry.live(Instant.now());
  }
}
