package dev.rebound.itemrestorer.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference 4, {@code velero.io/service}: cluster IPs are the source cluster's, never restored; headless stays headless. */
class ServiceActionTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "clusterIP and clusterIPs cleared | {\"clusterIP\":\"10.96.192.28\",\"clusterIPs\":[\"10.96.192.28\"],\"type\":\"NodePort\"} | {\"type\":\"NodePort\"}",
      "dual-stack IPs cleared           | {\"clusterIP\":\"10.96.0.9\",\"clusterIPs\":[\"10.96.0.9\",\"fd00::9\"]} | {}",
      "headless Service kept            | {\"clusterIP\":\"None\",\"clusterIPs\":[\"None\"]} | {\"clusterIP\":\"None\",\"clusterIPs\":[\"None\"]}",
      "no IP at all                     | {\"type\":\"ExternalName\",\"externalName\":\"db.example.com\"} | {\"type\":\"ExternalName\",\"externalName\":\"db.example.com\"}"
  })
  void clusterIpsAreLeftToTheTargetCluster(String rule, String spec, String expected) throws Exception {
    ObjectNode service = (ObjectNode) Json.mapper().readTree("{\"kind\":\"Service\",\"spec\":" + spec + "}");
    ServiceAction.apply(service);
    assertEquals(Json.mapper().readTree(expected), service.get("spec"), rule);
  }
}
