package dev.rebound.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.servers.LocalServers;
import dev.rebound.servers.ReboundServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each packaged service runs as its own process against the real broker, S3 server and cluster. */
class PackagedServicesIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ReboundServices services;

  @BeforeAll
  static void startServices() throws Exception {
    Path root = Path.of(System.getProperty("rebound.project.root"));
    services = ReboundServices.start(root, LocalServers.runDir().resolve("services"),
        LocalServers.kafka(), LocalServers.s3(), LocalServers.kube());
  }

  @AfterAll
  static void stopServices() {
    if (services != null) {
      services.close();
    }
  }

  @Test
  void everyServiceIsReadyAndServesMetrics() throws Exception {
    assertEquals(ReboundServices.NAMES, services.running().stream().map(ReboundServices.Running::name).toList());
    for (ReboundServices.Running r : services.running()) {
      HttpResponse<String> ready = get(r.url() + "/q/health/ready");
      assertEquals(200, ready.statusCode(), r.name() + ": " + ready.body());
      assertTrue(ready.body().contains("\"status\": \"UP\"") || ready.body().contains("\"status\":\"UP\""), ready.body());
      assertEquals(200, get(r.url() + "/q/health/live").statusCode(), r.name());
      HttpResponse<String> metrics = get(r.url() + "/q/metrics");
      assertEquals(200, metrics.statusCode(), r.name());
      assertTrue(metrics.body().contains("jvm_memory_used_bytes"), r.name() + " serves Prometheus metrics");
    }
  }

  @Test
  void workersReportTheTargetClusterReachable() throws Exception {
    for (String worker : List.of("item-restorer", "volume-restorer")) {
      String body = get(services.get(worker).url() + "/q/health/ready").body();
      assertTrue(body.contains("\"default\": \"reachable, Kubernetes v1.20"), worker + ": " + body);
    }
  }

  @Test
  void statusReporterSeesEveryServiceThroughTheBroker() {
    String components = services.get("status-reporter").url() + "/api/v1/components";
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      String body = get(components).body();
      for (String name : ReboundServices.NAMES) {
        assertTrue(body.contains("\"component\":\"" + name + "\""), name + " missing from " + body);
      }
    });
  }

  @Test
  void stoppingTheServicesLeavesNoProcessBehind() throws Exception {
    Path root = Path.of(System.getProperty("rebound.project.root"));
    ReboundServices extra = ReboundServices.start(root, LocalServers.runDir().resolve("services-stop"),
        LocalServers.kafka(), LocalServers.s3(), LocalServers.kube());
    List<Long> pids = extra.running().stream().flatMap(r -> r.process().pids().stream()).toList();
    extra.close();
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " left behind");
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
