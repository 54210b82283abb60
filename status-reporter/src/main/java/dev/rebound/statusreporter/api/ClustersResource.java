package dev.rebound.statusreporter.api;

import dev.rebound.model.Component;
import dev.rebound.model.ComponentHeartbeat;
import dev.rebound.statusreporter.components.ComponentRegistry;
import dev.rebound.statusreporter.config.StatusReporterConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code GET /api/v1/clusters}: the target clusters a restore may name, as the live
 * restore-coordinators announce them in their heartbeats (the coordinators decide: a name they do
 * not know ends the restore {@code FailedValidation}), and which one a restore without the
 * {@code rebound.dev/target-clusters} annotation goes to.
 */
@Path("/api/v1/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class ClustersResource {

  private final ComponentRegistry registry;
  private final String defaultCluster;

  ClustersResource(ComponentRegistry registry, StatusReporterConfig config) {
    this.registry = registry;
    this.defaultCluster = config.defaultCluster();
  }

  @GET
  public Map<String, Object> clusters() {
    TreeSet<String> names = new TreeSet<>();
    for (ComponentHeartbeat h : registry.live(Instant.now())) {
      if (h.component().equals(Component.RESTORE_COORDINATOR.id())) {
        names.addAll(h.clusters());
      }
    }
    List<Map<String, Object>> items = new ArrayList<>();
    for (String name : names) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("name", name);
      item.put("default", name.equals(defaultCluster));
      items.add(item);
    }
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("defaultCluster", defaultCluster);
    list.put("items", items);
    return list;
  }
}
