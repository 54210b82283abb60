package dev.rebound.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.Json;
import dev.rebound.servers.ManagedProcess;
import dev.rebound.servers.Ports;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's Prometheus server ({@code /usr/bin/prometheus}) as a child process on 127.0.0.1 and a
 * free port, with its data under {@code dir}: it scrapes the given targets' {@code /q/metrics}
 * and evaluates a rules file, both every second.
 */
final class PrometheusServer implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ManagedProcess process;
  private final String url;

  private PrometheusServer(ManagedProcess process, String url) {
    this.process = process;
    this.url = url;
  }

  /** @param targets {@code host:port} of each service to scrape */
  static PrometheusServer start(Path dir, Path rules, List<String> targets) throws IOException {
    Files.createDirectories(dir.resolve("data"));
    StringBuilder config = new StringBuilder("""
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files:
        """);
    config.append("  - ").append(Json.mapper().writeValueAsString(rules.toAbsolutePath().toString())).append('\n');
    config.append("""
        scrape_configs:
          - job_name: rebound
            metrics_path: /q/metrics
            static_configs:
              - targets:
        """);
    for (String target : targets) {
      config.append("          - ").append(Json.mapper().writeValueAsString(target)).append('\n');
    }
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, config);
    int port = Ports.free();
    ManagedProcess process = ManagedProcess.start("prometheus", List.of(binary(),
        "--config.file=" + file.toAbsolutePath(), "--storage.tsdb.path=" + dir.resolve("data").toAbsolutePath(),
        "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.retention.time=1d"),
        dir, dir.resolve("prometheus.log"), Map.of());
    PrometheusServer server = new PrometheusServer(process, "http://127.0.0.1:" + port);
    try {
      process.awaitReady(() -> server.status("/-/ready") == 200, Duration.ofSeconds(60));
    } catch (IOException | RuntimeException e) {
      process.close();
      throw e;
    }
    return server;
  }

  /** The {@code data} of an HTTP API answer ({@code /api/v1/...}), which must be {@code success}. */
  JsonNode api(String path) throws IOException, InterruptedException {
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = Json.mapper().readTree(answer.body());
    if (answer.statusCode() != 200 || !body.path("status").asText().equals("success")) {
      throw new IOException("GET " + path + ": HTTP " + answer.statusCode() + " " + answer.body());
    }
    return body.path("data");
  }

  /** An instant query's result vector. */
  JsonNode query(String promql) throws IOException, InterruptedException {
    return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("result");
  }

  /** Every active alert (pending or firing), as {@code /api/v1/alerts} lists them. */
  List<JsonNode> alerts() throws IOException, InterruptedException {
    List<JsonNode> alerts = new ArrayList<>();
    api("/api/v1/alerts").path("alerts").forEach(alerts::add);
    return alerts;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  List<Long> pids() {
    return process.pids();
  }

  Path log() {
    return process.log();
  }

  @Override
  public void close() {
    process.close();
  }

  private int status(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String binary() throws IOException {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "prometheus");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    if (Files.isExecutable(Path.of("/usr/bin/prometheus"))) {
      return "/usr/bin/prometheus";
    }
    throw new IOException("prometheus is not installed: scripts/setup.sh installs Debian's prometheus package");
  }
}
