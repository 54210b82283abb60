package dev.rebound.volumerestorer.kube;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.S3ServerResource;
import dev.rebound.testsupport.KubeServerResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Readiness against the real kube-apiserver: the default cluster reachable makes the worker ready;
 * an unreachable cluster of the fleet is reported but does not make it unready.
 */
@QuarkusTest
@TestProfile(TargetClustersReadinessIT.WithUnreachableCluster.class)
@WithTestResource(KafkaServerResource.class)
@WithTestResource(S3ServerResource.class)
@WithTestResource(value = KubeServerResource.class,
    initArgs = @ResourceArg(name = "prefix", value = "rebound.volume-restorer"))
class TargetClustersReadinessIT {

  @Test
  void readyWhenTheDefaultClusterAnswersWhateverTheOtherClusters() {
    given().get("/q/health/ready").then().statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.find { it.name == 'target-clusters' }.data.default", startsWith("reachable, Kubernetes v1.20"))
        .body("checks.find { it.name == 'target-clusters' }.data.gone", startsWith("unreachable: "));
  }

  @Test
  void metricsAreServedInPrometheusFormat() {
    given().get("/q/metrics").then().statusCode(200)
        .body(org.hamcrest.Matchers.containsString("# TYPE jvm_memory_used_bytes gauge"));
  }

  /** Adds a cluster "gone" whose API server address has nothing listening. */
  public static class WithUnreachableCluster implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        Path kubeconfig = Files.createTempFile("gone-", ".kubeconfig");
        Files.writeString(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: gone
              cluster:
                server: https://127.0.0.1:1
                insecure-skip-tls-verify: true
            users:
            - name: nobody
              user:
                token: none
            contexts:
            - name: gone
              context:
                cluster: gone
                user: nobody
            current-context: gone
            """);
        kubeconfig.toFile().deleteOnExit();
        return Map.of("rebound.volume-restorer.clusters.gone.kubeconfig", kubeconfig.toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
