package dev.rebound.testsupport.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rebound.servers.KubeCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A fault-injecting proxy in front of a real kube-apiserver, for tests that prove outages and
 * flaky answers are waited out: plain HTTP in front ({@link #kubeconfig}), the API server's HTTPS
 * behind with the admin's bearer token, bodies streamed both ways. Modes, switchable at runtime:
 * pass-through; down (every connection reset, open ones included); a fault ratio that turns that
 * share of the answers into 429 with {@code Retry-After: 1}, 500, or a request forwarded whose answer
 * is held past the client's timeout and never sent. It counts what it did ({@link #counts}).
 */
public final class FaultProxy implements AutoCloseable {

  /** What the proxy did so far. */
  public record Counts(long forwarded, long resets, long throttled, long failed, long held) {}

  private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length",
      "transfer-encoding", "authorization", "expect", "upgrade", "keep-alive", "te", "trailer", "proxy-connection");

  private final KubeCluster kube;
  private final HttpServer front;
  private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fault-proxy");
    t.setDaemon(true);
    return t;
  });
  private final TcpGate gate;
  private final HttpClient backend;
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong held = new AtomicLong();
  private volatile double faultRatio;
  private volatile Duration hold = Duration.ZERO;
  private volatile long downAfter = Long.MAX_VALUE;
  private final ConcurrentLinkedQueue<HeldAnswer> heldAnswers = new ConcurrentLinkedQueue<>();
  private volatile boolean gateClosed;

  private FaultProxy(KubeCluster kube) throws IOException {
    this.kube = kube;
    this.backend = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trusting(kube.caCertFile()))
        .connectTimeout(Duration.ofSeconds(5)).build();
    this.front = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    front.createContext("/", this::handle);
    front.setExecutor(handlers);
    front.start();
    this.gate = new TcpGate(front.getAddress().getPort());
  }

  public static FaultProxy start(KubeCluster kube) throws IOException {
    return new FaultProxy(kube);
  }

  public String url() {
    return "http://127.0.0.1:" + gate.port();
  }

  /** Writes a kubeconfig whose cluster is this proxy (no credentials: the proxy adds the admin's token). */
  public Path kubeconfig(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: fault-proxy
          cluster:
            server: %s
        users:
        - name: fault-proxy
          user: {}
        contexts:
        - name: fault-proxy
          context:
            cluster: fault-proxy
            user: fault-proxy
            namespace: default
        current-context: fault-proxy
        """.formatted(url()));
    return file;
  }

  /** Every request forwarded, every answer returned. */
  public void passThrough() {
    faultRatio = 0;
    downAfter = Long.MAX_VALUE;
    gateClosed = false;
    gate.refuse(false);
  }

  /** The API server is gone: connections are reset, open ones too. */
  public void down() {
    gateClosed = true;
    gate.refuse(true);
  }

  /** Goes {@link #down} once this many requests in all have been forwarded. */
  public void downAfterForwarded(long requests) {
    downAfter = requests;
    if (forwarded.get() >= requests) {
      down();
    }
  }

  public boolean isDown() {
    return gateClosed;
  }

  /**
   * Turns {@code ratio} of the answers into faults, a third each: 429 with {@code Retry-After: 1},
   * 500, and an answer held for {@code holdFor} (longer than the client's request timeout), then dropped.
   */
  public void faults(double ratio, Duration holdFor) {
    this.hold = holdFor;
    this.faultRatio = ratio;
  }

  /**
   * The next request with this method whose path starts with {@code pathPrefix} is forwarded, and its
   * answer held for {@code holdFor} and then dropped: the API server did the work, the client never
   * learns it. Rules are used in the order they were added, one request each.
   */
  public void holdNextAnswer(String method, String pathPrefix, Duration holdFor) {
    heldAnswers.add(new HeldAnswer(method, pathPrefix, holdFor));
  }

  private record HeldAnswer(String method, String pathPrefix, Duration holdFor) {}

  public Counts counts() {
    return new Counts(forwarded.get(), gate.resets(), throttled.get(), failed.get(), held.get());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      double roll = ThreadLocalRandom.current().nextDouble();
      double ratio = faultRatio;
      if (roll < ratio / 3) {
        throttled.incrementAndGet();
        exchange.getResponseHeaders().add("Retry-After", "1");
        status(exchange, 429, "TooManyRequests", "the fault proxy throttled this request",
            ",\"details\":{\"retryAfterSeconds\":1}");
        return;
      }
      if (roll < ratio * 2 / 3) {
        failed.incrementAndGet();
        status(exchange, 500, "InternalError", "the fault proxy failed this request", "");
        return;
      }
      HeldAnswer rule = heldAnswers.peek();
      if (rule != null && rule.method().equals(exchange.getRequestMethod())
          && exchange.getRequestURI().getPath().startsWith(rule.pathPrefix()) && heldAnswers.remove(rule)) {
        forward(exchange, rule.holdFor());
        return;
      }
      forward(exchange, roll < ratio ? hold : null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
    }
  }

  /** @param holdAnswer how long to hold the answer before dropping it; null to send it */
  private void forward(HttpExchange exchange, Duration holdAnswer) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(kube.apiServerUrl()
        + exchange.getRequestURI().toString())).header("Authorization", "Bearer " + kube.adminToken());
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(v -> request.header(name, v));
      }
    });
    request.method(exchange.getRequestMethod(), body(exchange));
    HttpResponse<InputStream> answer;
    try {
      answer = backend.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      return; // the API server itself did not answer: so does the proxy (the exchange is closed unanswered)
    }
    if (forwarded.incrementAndGet() >= downAfter) {
      downAfter = Long.MAX_VALUE;
      down();
    }
    try (InputStream in = answer.body()) {
      if (holdAnswer != null) {
        held.incrementAndGet();
        Thread.sleep(holdAnswer.toMillis());
        return; // closed without an answer, after the client gave up waiting
      }
      answer.headers().map().forEach((name, values) -> {
        if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
          exchange.getResponseHeaders().put(name, List.copyOf(values));
        }
      });
      long length = answer.headers().firstValueAsLong("content-length").orElse(-1);
      boolean empty = length == 0 || answer.statusCode() == 204 || answer.statusCode() == 304
          || exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(answer.statusCode(), empty ? -1 : Math.max(length, 0));
      if (!empty) {
        try (OutputStream out = exchange.getResponseBody()) {
          in.transferTo(out);
        }
      }
    }
  }

  private static HttpRequest.BodyPublisher body(HttpExchange exchange) {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    boolean chunked = "chunked".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Transfer-Encoding"));
    if (length != null && Long.parseLong(length) > 0) {
      return HttpRequest.BodyPublishers.fromPublisher(
          HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody), Long.parseLong(length));
    }
    return chunked ? HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody)
        : HttpRequest.BodyPublishers.noBody();
  }

  private static void status(HttpExchange exchange, int code, String reason, String message, String extra)
      throws IOException {
    byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
        + message + "\",\"reason\":\"" + reason + "\"" + extra + ",\"code\":" + code + "}")
        .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static SSLContext trusting(Path caCert) throws IOException {
    try (InputStream in = Files.newInputStream(caCert)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot trust the cluster's CA " + caCert + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    gate.close();
    front.stop(0);
    handlers.shutdownNow();
  }
}
