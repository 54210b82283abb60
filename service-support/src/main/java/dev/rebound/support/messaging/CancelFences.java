package dev.rebound.support.messaging;

import dev.rebound.model.Json;
import dev.rebound.model.pipeline.RestoreCancel;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Writes canceled restores' fences to {@link dev.rebound.model.Topics#RESTORE_CANCELS} (key: the
 * restore's uid), which every item-restorer reads to skip their items (DESIGN, "Cancel"). Written
 * only once the restore log holds the {@code CancelRequested}: by the API that appended it, so that
 * items stop even while no coordinator runs, and again by the coordinator that drives the restore.
 * A fence without its cancel in the log would make items vanish from a restore that still ends
 * Completed.
 */
@ApplicationScoped
public class CancelFences {

  private static final Duration ACK_TIMEOUT = Duration.ofMinutes(1);

  private final MutinyEmitter<Record<String, String>> cancels;

  CancelFences(@Channel(Channels.RESTORE_CANCELS_OUT) MutinyEmitter<Record<String, String>> cancels) {
    this.cancels = cancels;
  }

  /** Writes the fence and waits until the broker has it. */
  public void fence(RestoreCancel cancel) {
    String value;
    try {
      value = Json.mapper().writeValueAsString(cancel);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    cancels.send(Record.of(cancel.uid(), value)).await().atMost(ACK_TIMEOUT);
  }

  /** Removes a deleted restore's fence (a tombstone for its uid) and waits until the broker has it. */
  public void unfence(String uid) {
    cancels.send(Record.of(uid, (String) null)).await().atMost(ACK_TIMEOUT);
  }
}
