package dev.rebound.volumerestorer.kube;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.rebound.servers.KubeCluster;
import dev.rebound.servers.LocalServers;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.S3ServerResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code clusters.default.in-cluster=true} against the real kube-apiserver: fabric8's in-cluster
 * configuration, given what a pod has (KUBERNETES_SERVICE_HOST/PORT, a service-account token and
 * the cluster's CA; here through fabric8's system properties, which stand for the environment and
 * the files under /var/run/secrets/kubernetes.io/serviceaccount/).
 */
@QuarkusTest
@WithTestResource(KafkaServerResource.class)
@WithTestResource(S3ServerResource.class)
@WithTestResource(InClusterTargetIT.PodEnvironment.class)
class InClusterTargetIT {

  @Test
  void theInClusterTargetIsReachedThroughTheServiceAccount() {
    given().get("/q/health/ready").then().statusCode(200)
        .body("checks.find { it.name == 'configuration' }.status", equalTo("UP"))
        .body("checks.find { it.name == 'target-clusters' }.data.default", startsWith("reachable, Kubernetes v1.20"));
  }

  /** What a pod of the local cluster would see, as fabric8's system properties. */
  public static class PodEnvironment implements QuarkusTestResourceLifecycleManager {

    private static final List<String> PROPERTIES = List.of("KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT",
        "kubernetes.auth.serviceAccount.token", "kubernetes.certs.ca.file", "kubernetes.auth.tryKubeConfig");

    @Override
    public Map<String, String> start() {
      KubeCluster kube = LocalServers.kube();
      URI api = URI.create(kube.apiServerUrl());
      try {
        Path token = Files.createTempFile("serviceaccount-", ".token");
        Files.writeString(token, kube.adminToken());
        token.toFile().deleteOnExit();
        System.setProperty("KUBERNETES_SERVICE_HOST", api.getHost());
        System.setProperty("KUBERNETES_SERVICE_PORT", Integer.toString(api.getPort()));
        System.setProperty("kubernetes.auth.serviceAccount.token", token.toString());
        System.setProperty("kubernetes.certs.ca.file", kube.caCertFile().toString());
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Map.of("rebound.volume-restorer.clusters.default.in-cluster", "true");
    }

    @Override
    public void stop() {
      PROPERTIES.forEach(System::clearProperty);
    }
  }
}
