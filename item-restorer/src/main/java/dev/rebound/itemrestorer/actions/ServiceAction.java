package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Velero's {@code velero.io/service} restore item action (reference 4), the part that lets a
 * Service be created in any cluster: the cluster IPs it had in the source cluster are cleared, so
 * the target's API server allocates its own from its own service range (unless the Service is
 * headless, {@code clusterIP: None}). The nodePort rules of the same action come with issue 5.
 */
public final class ServiceAction {

  private ServiceAction() {}

  public static boolean appliesTo(String groupResource) {
    return groupResource.equals("services");
  }

  /** Changes the Service in place. */
  public static void apply(ObjectNode service) {
    JsonNode spec = service.get("spec");
    if (!(spec instanceof ObjectNode s) || "None".equals(s.path("clusterIP").asText())) {
      return;
    }
    s.remove("clusterIP");
    s.remove("clusterIPs");
  }
}
