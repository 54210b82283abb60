package dev.rebound.itemrestorer.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.testsupport.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ARCHITECTURE.md, back-pressure: transient API failures are retried with backoff for as long as
 * the item's outage timeout allows, the rest are the answer. The clock is manual: the sleeper moves
 * it, so outages of minutes take no time.
 */
class RetryingTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T00:00:00Z"));
  private final List<Duration> slept = new ArrayList<>();
  private final Retrying retrying = new Retrying(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(30),
      Duration.ofMinutes(10), d -> {
        slept.add(d);
        clock.advance(d);
      }, clock);

  @AfterEach
  void clearInterruption() {
    Thread.interrupted();
  }

  private static ApiResponse answer(int code) {
    return new ApiResponse(code, "{\"kind\":\"Status\",\"message\":\"m\"}".getBytes(), Optional.empty(), null);
  }

  /** A cluster that gives {@code failures} transient answers (each taking {@code took}), then 201. */
  private ApiResponse callThrough(int failures, Duration took, int[] calls) {
    return retrying.call(() -> {
      clock.advance(took);
      return calls[0]++ < failures ? ApiResponse.noAnswer("connection refused") : answer(201);
    });
  }

  @ParameterizedTest(name = "HTTP {0} retried: {1}")
  @CsvSource({"0,true", "429,true", "500,true", "502,true", "503,true", "504,true", "400,false", "403,false",
      "404,false", "409,false", "422,false", "201,false"})
  void onlyTransientAnswersAreRetried(int code, boolean retried) {
    Deque<ApiResponse> answers = new ArrayDeque<>(List.of(code == 0 ? ApiResponse.noAnswer("refused") : answer(code),
        answer(201)));
    ApiResponse last = retrying.call(answers::poll);
    assertEquals(retried ? 201 : code, last.code());
    assertEquals(retried ? 1 : 0, slept.size());
  }

  @Test
  void only429sAreToldToTheThrottleListener() {
    int[] told = {0};
    retrying.onThrottled(() -> told[0]++);
    Deque<ApiResponse> answers = new ArrayDeque<>(List.of(answer(429), answer(503), ApiResponse.noAnswer("refused"),
        answer(429), answer(201)));
    assertEquals(201, retrying.call(answers::poll).code());
    assertEquals(2, told[0]);
  }

  @Test
  void anItemWaitsOutAnOutageShorterThanItsTimeout() {
    int[] calls = {0};
    try (Retrying.ItemScope item = retrying.item(TIMEOUT)) {
      // Four minutes of refused connections, at most one pause of 2s between two attempts.
      ApiResponse last = callThrough(130, Duration.ZERO, calls);
      assertEquals(201, last.code());
    }
    assertTrue(clock.seconds() >= 130 && clock.seconds() < 300, "waited " + clock.seconds() + "s");
  }

  @Test
  void anOutageLongerThanTheTimeoutFailsTheItemAtItsDeadlineWithTheLastAnswer() {
    int[] calls = {0};
    ApiResponse last;
    try (Retrying.ItemScope item = retrying.item(TIMEOUT)) {
      last = callThrough(Integer.MAX_VALUE, Duration.ZERO, calls);
    }
    assertEquals(0, last.code());
    assertEquals("connection refused", last.message());
    assertEquals(TIMEOUT.toSeconds(), clock.seconds(), "the last pause ends at the deadline, not after it");
  }

  @Test
  void theDeadlineCountsFromTheItemsFirstFailureAcrossItsRequests() {
    try (Retrying.ItemScope item = retrying.item(TIMEOUT)) {
      int[] first = {0};
      assertEquals(201, callThrough(90, Duration.ZERO, first).code()); // about 3 minutes down
      long afterFirst = clock.seconds();
      int[] second = {0};
      ApiResponse last = callThrough(Integer.MAX_VALUE, Duration.ZERO, second);
      assertEquals(0, last.code());
      assertTrue(afterFirst >= 90, "first outage " + afterFirst + "s");
      assertEquals(TIMEOUT.toSeconds(), clock.seconds(), "one budget for the item, not one per request");
    }
  }

  @Test
  void aRequestThatHangsUntilItsOwnTimeoutStillEndsAtTheItemsDeadline() {
    int[] calls = {0};
    ApiResponse last;
    try (Retrying.ItemScope item = retrying.item(Duration.ofMinutes(1))) {
      last = callThrough(Integer.MAX_VALUE, Duration.ofSeconds(30), calls);
    }
    assertEquals(0, last.code());
    // The first failure is seen after 30s; its deadline is 60s later; the request under way then ends too.
    assertTrue(clock.seconds() >= 90 && clock.seconds() <= 120, "ended after " + clock.seconds() + "s");
  }

  @Test
  void itemsQueuedBehindAnOutageLongerThanTheirTimeoutFailAtTheirFirstFailure() {
    int[] calls = {0};
    try (Retrying.ItemScope item = retrying.item(TIMEOUT)) {
      assertEquals(0, callThrough(Integer.MAX_VALUE, Duration.ZERO, calls).code());
    }
    slept.clear();
    int[] later = {0};
    try (Retrying.ItemScope item = retrying.item(TIMEOUT)) {
      assertEquals(0, callThrough(Integer.MAX_VALUE, Duration.ZERO, later).code());
    }
    assertEquals(1, later[0], "the cluster's outage is already older than the timeout");
    assertEquals(List.of(), slept);
  }

  @Test
  void anyOtherAnswerEndsTheClustersOutage() {
    int[] calls = {0};
    try (Retrying.ItemScope item = retrying.item(TIMEOUT)) {
      assertEquals(0, callThrough(Integer.MAX_VALUE, Duration.ZERO, calls).code());
    }
    assertEquals(404, retrying.call(() -> answer(404)).code()); // the cluster answers again
    int[] next = {0};
    try (Retrying.ItemScope item = retrying.item(TIMEOUT)) {
      assertEquals(201, callThrough(20, Duration.ZERO, next).code());
    }
    assertEquals(21, next[0]);
  }

  @Test
  void failuresFarApartAreNotOneOutage() {
    int[] calls = {0};
    try (Retrying.ItemScope item = retrying.item(TIMEOUT)) {
      assertEquals(0, callThrough(Integer.MAX_VALUE, Duration.ZERO, calls).code());
    }
    clock.advance(Duration.ofMinutes(1)); // nobody asked the cluster for longer than the quiet gap
    int[] later = {0};
    try (Retrying.ItemScope item = retrying.item(TIMEOUT)) {
      assertEquals(201, callThrough(20, Duration.ZERO, later).code());
    }
  }

  @Test
  void anInterruptionEndsTheCallWithoutAnAnswer() {
    Thread.currentThread().interrupt();
    Interruption e = assertThrows(Interruption.class, () -> retrying.call(() -> ApiResponse.noAnswer("interrupted")));
    assertEquals("interrupted while calling the API server", e.getMessage());
    Retrying sleeping = new Retrying(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(30),
        Duration.ofMinutes(10), d -> {
          throw new InterruptedException();
        }, clock);
    Thread.interrupted();
    assertThrows(Interruption.class, () -> sleeping.call(() -> answer(503)));
    assertTrue(Thread.currentThread().isInterrupted(), "the interruption is kept for the caller");
  }

  @Test
  void backoffDoublesWithJitterAndIsCapped() {
    for (int attempt = 1; attempt <= 8; attempt++) {
      long ms = retrying.delay(attempt, answer(503)).toMillis();
      long base = Math.min(100L << (attempt - 1), 2000);
      assertTrue(ms >= base / 2 && ms <= base, attempt + ": " + ms);
    }
  }

  @Test
  void retryAfterIsHonouredUpToTheCap() {
    ApiResponse throttled = new ApiResponse(429, new byte[0], Optional.of(Duration.ofSeconds(1)), null);
    assertEquals(Duration.ofSeconds(1), retrying.delay(1, throttled));
    ApiResponse longWait = new ApiResponse(429, new byte[0], Optional.of(Duration.ofMinutes(5)), null);
    assertEquals(Duration.ofSeconds(2), retrying.delay(1, longWait));
    int[] calls = {0};
    ApiResponse last = retrying.call(() -> calls[0]++ < 3 ? throttled : answer(201));
    assertEquals(201, last.code());
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)), slept);
  }
}
