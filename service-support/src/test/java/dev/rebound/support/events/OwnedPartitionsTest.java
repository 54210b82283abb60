package dev.rebound.support.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A leased partition is acted on only once the log is read up to where its previous owner stopped. */
class OwnedPartitionsTest {

  private final List<Integer> activated = new ArrayList<>();
  private final List<Set<Integer>> released = new ArrayList<>();
  private final OwnedPartitions owned = new OwnedPartitions(activated::add, released::add);
  private final Map<Integer, Long> delivered = new HashMap<>();

  private void update() {
    owned.update(p -> delivered.getOrDefault(p, -1L));
  }

  @Test
  void anAcquiredPartitionBecomesActiveOnceReadUpToItsEndOffsetAtAcquisition() {
    owned.acquired(Map.of(0, 5L, 1, 0L));
    assertFalse(owned.active(0), "nothing applied before the reader's thread runs the change");
    delivered.put(0, 4L);
    delivered.put(1, 0L);
    update();
    assertFalse(owned.active(0), "offset 4 of the predecessor's events is not read yet");
    assertTrue(owned.active(1), "an empty partition is active at once");
    assertEquals(List.of(1), activated);
    delivered.put(0, 5L);
    update();
    assertTrue(owned.active(0));
    assertEquals(List.of(1, 0), activated);
    update();
    assertEquals(List.of(1, 0), activated, "activated once");
  }

  @Test
  void aReleaseWaitsUntilTheReaderThreadStoppedActing() throws Exception {
    owned.acquired(Map.of(0, 0L, 1, 0L));
    delivered.put(0, 0L);
    delivered.put(1, 0L);
    update();
    CompletableFuture<Void> lease = CompletableFuture.runAsync(() -> owned.released(Set.of(0)));
    assertTrue(owned.active(0), "still active until the reader's thread applies the release");
    assertFalse(lease.isDone(), "the lease's thread waits for the reader's");
    while (!lease.isDone()) {
      update();
      Thread.onSpinWait();
    }
    lease.get(5, TimeUnit.SECONDS);
    assertFalse(owned.active(0));
    assertTrue(owned.active(1));
    assertEquals(List.of(Set.of(0)), released);
  }

  @Test
  void aPartitionReleasedWhileCatchingUpNeverBecomesActive() throws Exception {
    owned.acquired(Map.of(0, 10L));
    update();
    CompletableFuture<Void> lease = CompletableFuture.runAsync(() -> owned.released(Set.of(0)));
    while (!lease.isDone()) {
      update();
      Thread.onSpinWait();
    }
    delivered.put(0, 10L);
    update();
    assertFalse(owned.active(0));
    assertEquals(List.of(), activated);
  }
}
