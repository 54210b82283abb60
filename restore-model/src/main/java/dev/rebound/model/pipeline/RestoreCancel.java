package dev.rebound.model.pipeline;

import java.time.Instant;
import java.util.Objects;

/**
 * A canceled restore's fence, the value of its record on {@link dev.rebound.model.Topics#RESTORE_CANCELS}
 * (key: its uid): item-restorers that have read it restore none of the restore's items any more.
 *
 * @param restore the restore's name, for the log
 * @param uid the restore's uid: an item task belongs to it when its context carries this uid
 * @param at when the coordinator fenced it
 */
public record RestoreCancel(String restore, String uid, Instant at) {
  public RestoreCancel {
    Objects.requireNonNull(uid, "uid");
  }
}
