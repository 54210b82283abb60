package dev.rebound.itemrestorer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lanes' bookkeeping: per-cluster threads, the bounds that hold back the next record, revocations. */
class ItemLanesTest {

  private static final TopicPartition P0 = new TopicPartition("rebound.restore-items", 0);
  private static final TopicPartition P1 = new TopicPartition("rebound.restore-items", 1);

  private ItemLanes lanes;

  @AfterEach
  void stop() {
    lanes.shutdownNow();
  }

  @Test
  void aBlockedClusterTakesOnlyItsOwnLanesThreads() throws Exception {
    lanes = new ItemLanes(2, 100, 1_000_000);
    CompletableFuture<Void> never = new CompletableFuture<>();
    CountDownLatch blocked = new CountDownLatch(2);
    for (int i = 0; i < 10; i++) {
      lanes.submit("down", P0, 10, () -> {
        blocked.countDown();
        never.join(); // holds the lane's thread, as an item waiting out an outage does
        return never;
      });
    }
    assertTrue(blocked.await(10, TimeUnit.SECONDS));
    CountDownLatch restored = new CountDownLatch(5);
    for (int i = 0; i < 5; i++) {
      lanes.submit("up", P0, 10, () -> {
        restored.countDown();
        return CompletableFuture.completedFuture(null);
      });
    }
    assertTrue(restored.await(10, TimeUnit.SECONDS), "the other cluster's items go on");
    assertEquals(10, lanes.held().get("down"), "2 under way, 8 queued");
    never.complete(null);
  }

  @Test
  void pastTheItemBoundTheNextRecordWaitsUntilAnItemIsFinished() throws Exception {
    lanes = new ItemLanes(4, 3, 1_000_000);
    List<CompletableFuture<Void>> results = List.of(new CompletableFuture<>(), new CompletableFuture<>(),
        new CompletableFuture<>());
    AtomicInteger started = new AtomicInteger();
    CompletionStage<Void> first = lanes.submit("c", P0, 1, work(results.get(0), started));
    CompletionStage<Void> second = lanes.submit("c", P0, 1, work(results.get(1), started));
    CompletionStage<Void> third = lanes.submit("c", P0, 1, work(results.get(2), started));
    assertTrue(first.toCompletableFuture().isDone());
    assertTrue(second.toCompletableFuture().isDone());
    assertFalse(third.toCompletableFuture().isDone(), "three items taken: the next waits");
    results.get(1).complete(null); // a result acknowledged
    third.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void pastTheByteBoundTheNextRecordWaitsButOneLargeItemIsAlwaysTaken() throws Exception {
    lanes = new ItemLanes(4, 100, 1_000);
    CompletableFuture<Void> result = new CompletableFuture<>();
    CompletionStage<Void> large = lanes.submit("c", P0, 5_000, () -> result);
    assertFalse(large.toCompletableFuture().isDone(), "taken, and the next waits for it");
    result.complete(null);
    large.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void revokedPartitionsLoseTheirQueuedItemsOnly() throws Exception {
    lanes = new ItemLanes(1, 100, 1_000_000);
    CompletableFuture<Void> holding = new CompletableFuture<>();
    CountDownLatch started = new CountDownLatch(1);
    lanes.submit("c", P1, 1, () -> {
      started.countDown();
      holding.join();
      return holding;
    });
    assertTrue(started.await(10, TimeUnit.SECONDS));
    AtomicInteger ran = new AtomicInteger();
    for (TopicPartition p : List.of(P0, P1, P0, P1)) {
      lanes.submit("c", p, 1, () -> {
        ran.incrementAndGet();
        return CompletableFuture.completedFuture(null);
      });
    }
    assertEquals(2, lanes.revoke(List.of(P1)), "the queued items of partition 1; the one under way goes on");
    holding.complete(null);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> ran.get() == 2
        && lanes.held().getOrDefault("c", 0) == 0);
    assertEquals(Map.of("c", 0), lanes.held());
  }

  private static java.util.function.Supplier<CompletionStage<?>> work(CompletableFuture<Void> result,
      AtomicInteger started) {
    return () -> {
      started.incrementAndGet();
      return result;
    };
  }
}
