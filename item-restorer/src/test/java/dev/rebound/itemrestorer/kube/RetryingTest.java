package dev.rebound.itemrestorer.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ARCHITECTURE.md, back-pressure: transient API failures are retried with backoff, the rest are the answer. */
class RetryingTest {

  private final List<Duration> slept = new ArrayList<>();
  private final Retrying retrying = new Retrying(4, Duration.ofMillis(100), Duration.ofSeconds(2), slept::add);

  private static ApiResponse answer(int code) {
    return new ApiResponse(code, "{\"kind\":\"Status\",\"message\":\"m\"}".getBytes(), Optional.empty(), null);
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
  void givesUpAfterTheAttemptsWithTheLastAnswer() {
    int[] calls = {0};
    ApiResponse last = retrying.call(() -> {
      calls[0]++;
      return answer(503);
    });
    assertEquals(503, last.code());
    assertEquals(4, calls[0]);
    assertEquals(3, slept.size());
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
  }
}
