package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import java.util.HashSet;
import java.util.Set;

/**
 * Velero's {@code velero.io/service} action (reference 4):
 * <ul>
 *   <li>the source cluster's cluster IPs are cleared so the target allocates its own, unless the
 *       Service is headless ({@code clusterIP: None});
 *   <li>unless the restore sets {@code preserveNodePorts: true}, node ports that were assigned by
 *       the source cluster are cleared and only those the user chose are kept. A port's node port
 *       was chosen when the {@code kubectl.kubernetes.io/last-applied-configuration} annotation
 *       gives it one (a named port by name, an unnamed port by value); without that annotation,
 *       when a managedFields entry owns {@code f:spec.f:ports.k:{"port":N,"protocol":"P"}.f:nodePort}.
 *       ExternalName Services are left alone;
 *   <li>likewise a LoadBalancer Service with {@code externalTrafficPolicy: Local} loses its
 *       {@code healthCheckNodePort} unless the annotation or a managedFields entry has it.
 * </ul>
 * Velero goes through the typed Service, which drops fields its Go type does not know; Rebound
 * edits the JSON and keeps them (a deliberate difference: nothing the user wrote is lost).
 */
public final class ServiceAction implements RestoreItemAction {

  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  @Override
  public String name() {
    return "velero.io/service";
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return groupResource.equals("services");
  }

  @Override
  public ActionOutput execute(ActionInput input) throws ActionException {
    ObjectNode service = input.item();
    boolean preserveNodePorts = input.restore().spec() != null
        && Boolean.TRUE.equals(input.restore().spec().preserveNodePorts());
    apply(service, preserveNodePorts);
    return ActionOutput.of(service);
  }

  /** Changes the Service in place. */
  static void apply(ObjectNode service, boolean preserveNodePorts) throws ActionException {
    if (!(service.get("spec") instanceof ObjectNode spec)) {
      return;
    }
    if (!"None".equals(spec.path("clusterIP").asText())) {
      spec.remove("clusterIP");
      spec.remove("clusterIPs");
    }
    if (!preserveNodePorts) {
      JsonNode lastApplied = lastApplied(service);
      deleteNodePorts(service, spec, lastApplied);
      deleteHealthCheckNodePort(service, spec, lastApplied);
    }
  }

  private static JsonNode lastApplied(ObjectNode service) throws ActionException {
    JsonNode annotation = service.path("metadata").path("annotations").get(LAST_APPLIED);
    if (annotation == null || !annotation.isTextual()) {
      return null;
    }
    try {
      return Json.mapper().readTree(annotation.asText());
    } catch (JsonProcessingException e) {
      throw new ActionException("invalid " + LAST_APPLIED + " annotation: " + e.getOriginalMessage(), e);
    }
  }

  private static void deleteNodePorts(ObjectNode service, ObjectNode spec, JsonNode lastApplied)
      throws ActionException {
    if ("ExternalName".equals(spec.path("type").asText())) {
      return;
    }
    JsonNode ports = spec.path("ports");
    if (lastApplied != null) {
      Set<String> namedExplicit = new HashSet<>();
      Set<Integer> unnamedExplicit = new HashSet<>();
      for (JsonNode p : lastApplied.path("spec").path("ports")) {
        int nodePort = nodePortValue(p.get("nodePort"));
        if (nodePort > 0) {
          if (p.has("name")) {
            namedExplicit.add(p.get("name").asText());
          } else {
            unnamedExplicit.add(nodePort);
          }
        }
      }
      for (JsonNode port : ports) {
        String name = port.path("name").asText("");
        boolean explicit = name.isEmpty() ? unnamedExplicit.contains(port.path("nodePort").asInt())
            : namedExplicit.contains(name);
        if (!explicit && port instanceof ObjectNode p) {
          p.remove("nodePort");
        }
      }
      return;
    }
    Set<String> explicit = new HashSet<>();
    for (JsonNode fields : managedFields(service)) {
      JsonNode owned = fields.path("f:spec").path("f:ports");
      owned.fields().forEachRemaining(e -> {
        if (e.getValue().has("f:nodePort")) {
          explicit.add(e.getKey());
        }
      });
    }
    for (JsonNode port : ports) {
      String key = "k:{\"port\":" + port.path("port").asInt() + ",\"protocol\":\"" + port.path("protocol").asText("")
          + "\"}";
      if (!explicit.contains(key) && port instanceof ObjectNode p) {
        p.remove("nodePort");
      }
    }
  }

  private static void deleteHealthCheckNodePort(ObjectNode service, ObjectNode spec, JsonNode lastApplied) {
    if (!"Local".equals(spec.path("externalTrafficPolicy").asText())
        || !"LoadBalancer".equals(spec.path("type").asText()) || spec.path("healthCheckNodePort").asInt() == 0) {
      return;
    }
    if (lastApplied != null && lastApplied.path("spec").path("healthCheckNodePort").asInt() != 0) {
      return;
    }
    for (JsonNode fields : managedFields(service)) {
      if (fields.path("f:spec").has("f:healthCheckNodePort")) {
        return;
      }
    }
    spec.remove("healthCheckNodePort");
  }

  /** Each managedFields entry's {@code fieldsV1}. */
  private static Iterable<JsonNode> managedFields(ObjectNode service) {
    java.util.List<JsonNode> all = new java.util.ArrayList<>();
    for (JsonNode entry : service.path("metadata").path("managedFields")) {
      if (entry.path("fieldsV1").isObject()) {
        all.add(entry.get("fieldsV1"));
      }
    }
    return all;
  }

  /** A last-applied node port: a number, or a string of digits (Velero accepts both). */
  private static int nodePortValue(JsonNode value) throws ActionException {
    if (value == null || value.isNull()) {
      return 0;
    }
    if (value.isNumber()) {
      return value.asInt();
    }
    if (value.isTextual()) {
      try {
        return Integer.parseInt(value.asText());
      } catch (NumberFormatException e) {
        throw new ActionException("strconv.Atoi: parsing \"" + value.asText() + "\": invalid syntax", e);
      }
    }
    return 0;
  }
}
