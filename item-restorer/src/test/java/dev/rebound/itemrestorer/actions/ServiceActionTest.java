package dev.rebound.itemrestorer.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import dev.rebound.model.velero.RestoreSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference 4, {@code velero.io/service}: cluster IPs, node ports and the health-check node port. */
class ServiceActionTest {

  private static ObjectNode service(String metadata, String spec) throws Exception {
    return (ObjectNode) Json.mapper().readTree("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"web\""
        + (metadata.isEmpty() ? "" : "," + metadata) + "},\"spec\":" + spec + "}");
  }

  private static ObjectNode run(ObjectNode service, Boolean preserveNodePorts) throws ActionException {
    RestoreSpec spec = new RestoreSpec("b", null, null, null, null, null, null, null, null, null, null,
        preserveNodePorts, null, null, null, null, null, null);
    return new ServiceAction().execute(new ActionInput(service, service.deepCopy(),
        new ActionInput.RestoreInfo("r", "uid", spec), null)).item();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "clusterIP and clusterIPs cleared | {\"clusterIP\":\"10.96.192.28\",\"clusterIPs\":[\"10.96.192.28\"],\"type\":\"ClusterIP\"} | {\"type\":\"ClusterIP\"}",
      "dual-stack IPs cleared           | {\"clusterIP\":\"10.96.0.9\",\"clusterIPs\":[\"10.96.0.9\",\"fd00::9\"]} | {}",
      "headless Service kept            | {\"clusterIP\":\"None\",\"clusterIPs\":[\"None\"]} | {\"clusterIP\":\"None\",\"clusterIPs\":[\"None\"]}",
      "ExternalName untouched           | {\"type\":\"ExternalName\",\"externalName\":\"db.example.com\"} | {\"type\":\"ExternalName\",\"externalName\":\"db.example.com\"}"
  })
  void clusterIpsAreLeftToTheTargetCluster(String rule, String spec, String expected) throws Exception {
    assertEquals(Json.mapper().readTree(expected), run(service("", spec), null).get("spec"), rule);
  }

  private static final String TWO_PORTS = "{\"type\":\"NodePort\",\"ports\":["
      + "{\"name\":\"http\",\"port\":80,\"protocol\":\"TCP\",\"nodePort\":30080},"
      + "{\"name\":\"metrics\",\"port\":9090,\"protocol\":\"TCP\",\"nodePort\":31999}]}";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // No record of what the user chose: every node port is the source cluster's choice.
      "no annotation, no managedFields: all cleared | | false | -",
      // kubectl apply: the last-applied configuration names the explicit ports.
      "last-applied names http: http kept | \"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"spec\\\":{\\\"ports\\\":[{\\\"name\\\":\\\"http\\\",\\\"port\\\":80,\\\"nodePort\\\":30080},{\\\"name\\\":\\\"metrics\\\",\\\"port\\\":9090}]}}\"} | false | http",
      "last-applied nodePort as a string counts | \"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"spec\\\":{\\\"ports\\\":[{\\\"name\\\":\\\"metrics\\\",\\\"nodePort\\\":\\\"31999\\\"}]}}\"} | false | metrics",
      "last-applied nodePort 0 is not explicit | \"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"spec\\\":{\\\"ports\\\":[{\\\"name\\\":\\\"http\\\",\\\"nodePort\\\":0}]}}\"} | false | -",
      // The annotation wins over managedFields (Velero looks no further when it is present).
      "annotation present, managedFields ignored | \"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"spec\\\":{}}\"},\"managedFields\":[{\"manager\":\"kubectl\",\"fieldsV1\":{\"f:spec\":{\"f:ports\":{\"k:{\\\"port\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\"f:nodePort\":{}}}}}}] | false | -",
      // Server-side apply or a typed client: managedFields record which ports' nodePort a manager set.
      "managedFields own http's nodePort: kept | \"managedFields\":[{\"manager\":\"kubectl\",\"fieldsV1\":{\"f:spec\":{\"f:ports\":{\"k:{\\\"port\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\"f:nodePort\":{},\"f:port\":{}},\"k:{\\\"port\\\":9090,\\\"protocol\\\":\\\"TCP\\\"}\":{\"f:port\":{}}}}}}] | false | http",
      "preserveNodePorts keeps all | | true | http metrics"
  })
  void nodePortsKeptOnlyWhenTheUserChoseThem(String rule, String metadata, boolean preserve, String kept)
      throws Exception {
    ObjectNode out = run(service(metadata == null ? "" : metadata, TWO_PORTS), preserve);
    java.util.List<String> withNodePort = new java.util.ArrayList<>();
    out.at("/spec/ports").forEach(p -> {
      if (p.has("nodePort")) {
        withNodePort.add(p.path("name").asText());
      }
    });
    assertEquals(kept.equals("-") ? "" : kept, String.join(" ", withNodePort), rule);
  }

  @Test
  void unnamedPortsAreMatchedByNodePortValue() throws Exception {
    ObjectNode svc = service("\"annotations\":{\"" + ServiceAction.LAST_APPLIED
        + "\":\"{\\\"spec\\\":{\\\"ports\\\":[{\\\"port\\\":80,\\\"nodePort\\\":30080}]}}\"}",
        "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"protocol\":\"TCP\",\"nodePort\":30080},"
            + "{\"port\":81,\"protocol\":\"TCP\",\"nodePort\":30081}]}");
    ObjectNode out = run(svc, null);
    assertEquals(30080, out.at("/spec/ports/0/nodePort").asInt());
    assertTrue(out.at("/spec/ports/1/nodePort").isMissingNode());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "auto-assigned: cleared | | {\"type\":\"LoadBalancer\",\"externalTrafficPolicy\":\"Local\",\"healthCheckNodePort\":32000} | false",
      "in last-applied: kept | \"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"spec\\\":{\\\"healthCheckNodePort\\\":32000}}\"} | {\"type\":\"LoadBalancer\",\"externalTrafficPolicy\":\"Local\",\"healthCheckNodePort\":32000} | true",
      "in managedFields: kept | \"managedFields\":[{\"fieldsV1\":{\"f:spec\":{\"f:healthCheckNodePort\":{}}}}] | {\"type\":\"LoadBalancer\",\"externalTrafficPolicy\":\"Local\",\"healthCheckNodePort\":32000} | true",
      "policy Cluster: not Velero's concern | | {\"type\":\"LoadBalancer\",\"externalTrafficPolicy\":\"Cluster\",\"healthCheckNodePort\":32000} | true",
      "NodePort type: not Velero's concern | | {\"type\":\"NodePort\",\"externalTrafficPolicy\":\"Local\",\"healthCheckNodePort\":32000} | true"
  })
  void healthCheckNodePortFollowsTheSameRule(String rule, String metadata, String spec, boolean kept) throws Exception {
    ObjectNode out = run(service(metadata == null ? "" : metadata, spec), false);
    assertEquals(kept, out.at("/spec/healthCheckNodePort").isInt(), rule);
    assertEquals(true, run(service(metadata == null ? "" : metadata, spec), true).at("/spec/healthCheckNodePort")
        .isInt(), "preserveNodePorts keeps it: " + rule);
  }

  @Test
  void anUnreadableLastAppliedAnnotationIsAnActionError() throws Exception {
    ObjectNode svc = service("\"annotations\":{\"" + ServiceAction.LAST_APPLIED + "\":\"{not json\"}", TWO_PORTS);
    ActionException e = assertThrows(ActionException.class, () -> run(svc, null));
    assertTrue(e.getMessage().startsWith("invalid kubectl.kubernetes.io/last-applied-configuration annotation: "),
        e.getMessage());
  }

  @Test
  void appliesToServicesOnly() {
    assertEquals(true, new ServiceAction().appliesTo("services"));
    assertEquals(false, new ServiceAction().appliesTo("services.serving.knative.dev"));
  }
}
