package dev.rebound.support.events;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a reader must start each partition of the restore log so that it folds every restore that
 * has no snapshot yet: the smallest {@code Submitted} offset of such a restore, else the offset just
 * after the last event folded. Fed on the reader's thread ({@link #submitted}, {@link #folded});
 * {@link #snapshotted} and {@link #checkpoint} may be called from any thread.
 */
public final class Checkpoints {

  /** Per partition, the restores without a snapshot (name to the offset of their {@code Submitted}). */
  private final Map<Integer, Map<String, Long>> open = new ConcurrentHashMap<>();
  /** Per partition, the offset after the last event folded (or where the reader started). */
  private final Map<Integer, Long> next = new ConcurrentHashMap<>();

  /** The reader starts the partition at {@code offset}. */
  public void started(int partition, long offset) {
    next.put(partition, offset);
  }

  /** The first {@code Submitted} of a restore; call before {@link #folded} for the same event. */
  public void submitted(String restore, int partition, long offset) {
    open.computeIfAbsent(partition, p -> new ConcurrentHashMap<>()).putIfAbsent(restore, offset);
  }

  /** An event of the partition was folded (whatever its restore). */
  public void folded(int partition, long offset) {
    next.merge(partition, offset + 1, Math::max);
  }

  /** The restore's snapshot is written: it no longer holds the partition's checkpoint back. */
  public void snapshotted(String restore, int partition) {
    Map<String, Long> restores = open.get(partition);
    if (restores != null) {
      restores.remove(restore);
    }
  }

  /** Whether the restore has no snapshot yet. */
  public boolean isOpen(String restore, int partition) {
    Map<String, Long> restores = open.get(partition);
    return restores != null && restores.containsKey(restore);
  }

  /**
   * The offset a reader must start the partition at, or empty before the partition was started.
   * The folded position is read before the open restores: a restore submitted in between is either
   * among them or after that position.
   */
  public OptionalLong checkpoint(int partition) {
    Long after = next.get(partition);
    if (after == null) {
      return OptionalLong.empty();
    }
    long checkpoint = after;
    Map<String, Long> restores = open.get(partition);
    if (restores != null) {
      for (long offset : restores.values()) {
        checkpoint = Math.min(checkpoint, offset);
      }
    }
    return OptionalLong.of(checkpoint);
  }
}
