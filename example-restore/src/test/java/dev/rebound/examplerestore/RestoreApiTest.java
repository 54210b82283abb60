package dev.rebound.examplerestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's handling of HTTP answers (plumbing): a 503 with {@code Retry-After} is waited out as
 * the server asks, other refusals are returned at once. The API's own 503 is tested against the real
 * status-reporter ({@code MisconfiguredStorageIT}).
 */
class RestoreApiTest {

  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void aSubmissionRefusedWith503AndRetryAfterIsSentAgainUntilAccepted() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    RestoreApi api = serve(() -> calls.incrementAndGet() <= 2 ? new int[] {503, 1} : new int[] {201, 0});
    long started = System.nanoTime();
    RestoreApi.Answer answer = api.submit("{}", "application/json");
    assertEquals(201, answer.status());
    assertEquals(3, calls.get());
    assertTrue(System.nanoTime() - started >= 2_000_000_000L, "waited the Retry-After second twice");
  }

  @Test
  void otherRefusalsAnd503WithoutRetryAfterAreReturnedAtOnce() throws Exception {
    for (int[] refusal : List.of(new int[] {409, 0}, new int[] {400, 0}, new int[] {503, 0})) {
      AtomicInteger calls = new AtomicInteger();
      RestoreApi api = serve(() -> {
        calls.incrementAndGet();
        return refusal;
      });
      assertEquals(refusal[0], api.submit("{}", "application/json").status());
      assertEquals(1, calls.get(), "HTTP " + refusal[0]);
      stop();
    }
  }

  /** A server answering each POST with {status, retry-after seconds (0: no header)} from {@code next}. */
  private RestoreApi serve(java.util.function.Supplier<int[]> next) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/restores", exchange -> {
      int[] answer = next.get();
      if (answer[1] > 0) {
        exchange.getResponseHeaders().add("Retry-After", Integer.toString(answer[1]));
      }
      byte[] body = "{\"kind\":\"Status\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer[0], body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return new RestoreApi("http://127.0.0.1:" + server.getAddress().getPort(), null);
  }
}
