package dev.rebound.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.servers.ReboundServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Each packaged service runs as its own process against the real broker, S3 server and cluster:
 * checked on the services of the class that already runs a pipeline ({@link RestorePipelineIT}
 * implements this, ordering its methods by {@code @Order}), so no more services start. The last
 * test stops them.
 */
interface PackagedServicesTests {

  HttpClient HTTP = HttpClient.newHttpClient();

  Pipeline pipeline();

  @Test
  default void everyServiceIsReadyAndServesMetrics() throws Exception {
    ReboundServices services = pipeline().services;
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
  default void workersReportTheTargetClusterReachable() throws Exception {
    for (String worker : List.of("item-restorer", "volume-restorer")) {
      String body = get(pipeline().services.get(worker).url() + "/q/health/ready").body();
      assertTrue(body.contains("\"default\": \"reachable, Kubernetes v1.20"), worker + ": " + body);
    }
  }

  @Test
  default void statusReporterSeesEveryServiceThroughTheBroker() {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      String body = pipeline().api.get("/api/v1/components").body();
      for (String name : ReboundServices.NAMES) {
        assertTrue(body.contains("\"component\":\"" + name + "\""), name + " missing from " + body);
      }
    });
  }

  /** Last: stops the class's services (no second set is started just to be stopped). */
  @Test
  @Order(Integer.MAX_VALUE)
  default void stoppingTheServicesLeavesNoProcessBehind() {
    ReboundServices services = pipeline().services;
    assertEquals(ReboundServices.NAMES, services.running().stream().map(ReboundServices.Running::name).toList());
    for (ReboundServices.Running r : services.running()) {
      assertTrue(r.process().pids().size() >= 2, r.name() + ": its guard and its server: " + r.process().pids());
    }
    List<Long> pids = services.running().stream().flatMap(r -> r.process().pids().stream()).toList();
    assertTrue(pids.stream().allMatch(PackagedServicesTests::alive), "every service runs before the stop: " + pids);
    services.close();
    for (long pid : pids) {
      assertFalse(alive(pid), "pid " + pid + " left behind");
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
