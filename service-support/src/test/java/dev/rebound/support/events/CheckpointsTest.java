package dev.rebound.support.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CheckpointsTest {

  private final Checkpoints checkpoints = new Checkpoints();

  /** Folds one event the way a reader does: a first Submitted is noted before the position moves. */
  private void fold(int partition, long offset, String submitted) {
    if (submitted != null) {
      checkpoints.submitted(submitted, partition, offset);
    }
    checkpoints.folded(partition, offset);
  }

  @Test
  void aPartitionNotStartedHasNoCheckpoint() {
    assertEquals(OptionalLong.empty(), checkpoints.checkpoint(0));
  }

  @Test
  void withoutOpenRestoresTheCheckpointIsJustAfterTheLastEventFolded() {
    checkpoints.started(0, 40);
    assertEquals(OptionalLong.of(40), checkpoints.checkpoint(0), "nothing folded yet: where the reader started");
    fold(0, 40, null);
    fold(0, 41, null);
    assertEquals(OptionalLong.of(42), checkpoints.checkpoint(0));
  }

  @Test
  void theOldestRestoreWithoutSnapshotHoldsTheCheckpointBack() {
    checkpoints.started(1, 0);
    fold(1, 0, "a");
    fold(1, 1, "b");
    fold(1, 2, null);
    fold(1, 3, "c");
    fold(1, 4, null);
    assertEquals(OptionalLong.of(0), checkpoints.checkpoint(1));
    checkpoints.snapshotted("b", 1);
    assertEquals(OptionalLong.of(0), checkpoints.checkpoint(1), "a, submitted first, has no snapshot yet");
    checkpoints.snapshotted("a", 1);
    assertEquals(OptionalLong.of(3), checkpoints.checkpoint(1), "c is the oldest restore left");
    checkpoints.snapshotted("c", 1);
    assertEquals(OptionalLong.of(5), checkpoints.checkpoint(1));
  }

  @Test
  void aLaterSubmittedOfTheSameNameDoesNotMoveItsRestore() {
    checkpoints.started(0, 10);
    fold(0, 10, "a");
    fold(0, 11, "a");
    assertEquals(OptionalLong.of(10), checkpoints.checkpoint(0));
    assertTrue(checkpoints.isOpen("a", 0));
    checkpoints.snapshotted("a", 0);
    assertFalse(checkpoints.isOpen("a", 0));
    assertEquals(OptionalLong.of(12), checkpoints.checkpoint(0));
  }

  @Test
  void partitionsAreIndependent() {
    checkpoints.started(0, 0);
    checkpoints.started(1, 7);
    fold(0, 0, "a");
    fold(1, 7, null);
    assertEquals(OptionalLong.of(0), checkpoints.checkpoint(0));
    assertEquals(OptionalLong.of(8), checkpoints.checkpoint(1));
    checkpoints.snapshotted("a", 1);
    assertEquals(OptionalLong.of(0), checkpoints.checkpoint(0), "a snapshot of another partition changes nothing");
  }
}
