package dev.rebound.coordinator.pipeline;

import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.RestoreCancel;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.support.messaging.CancelFences;
import dev.rebound.support.messaging.Channels;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The coordinator's writes: restore events (each awaited: the next step relies on it being in the
 * log), item tasks (streamed, at most {@value #IN_FLIGHT} unacknowledged at a time) and canceled
 * restores' fences.
 */
@ApplicationScoped
public class Publisher {

  static final int IN_FLIGHT = 2000;
  private static final Duration ACK_TIMEOUT = Duration.ofMinutes(2);

  private final MutinyEmitter<RestoreEvent> events;
  private final MutinyEmitter<ItemTask> items;
  private final CancelFences fences;

  Publisher(@Channel(Channels.RESTORE_EVENTS_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
      MutinyEmitter<RestoreEvent> events,
      @Channel(Channels.RESTORE_ITEMS_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2 * IN_FLIGHT)
      MutinyEmitter<ItemTask> items, CancelFences fences) {
    this.events = events;
    this.items = items;
    this.fences = fences;
  }

  /** Writes a fence, trying again until the broker takes it. */
  void fenceUntilAcknowledged(RestoreCancel cancel) {
    untilAcknowledged(cancel.restore(), "its cancel fence", () -> fences.fence(cancel));
  }

  /** Removes a deleted restore's fence; see {@link CancelFences#unfence}. */
  void unfence(String uid) {
    fences.unfence(uid);
  }

  /** Appends an event to the restore's log and waits until the broker has it. */
  public void append(RestoreEvent event) {
    events.sendMessage(KafkaRecord.of(event.restore(), event)).await().atMost(ACK_TIMEOUT);
  }

  /** A batch of item tasks: {@link #add} as they are read, {@link #await} for every acknowledgement. */
  public Batch batch() {
    return new Batch();
  }

  public final class Batch {
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    /** The first failed send; none is kept per task (a wave may have a million). */
    private final java.util.concurrent.atomic.AtomicReference<Throwable> failed =
        new java.util.concurrent.atomic.AtomicReference<>();
    private int count;

    public void add(ItemTask task) {
      inFlight.acquireUninterruptibly();
      items.sendMessage(KafkaRecord.of(task.recordKey(), task)).subscribeAsCompletionStage()
          .whenComplete((ok, failure) -> {
            if (failure != null) {
              failed.compareAndSet(null, failure);
            }
            inFlight.release();
          });
      count++;
    }

    public int count() {
      return count;
    }

    /** Waits for every task's acknowledgement (all permits back); throws the first failure. */
    public void await() {
      try {
        if (!inFlight.tryAcquire(IN_FLIGHT, ACK_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
          throw new java.util.concurrent.CompletionException(new java.util.concurrent.TimeoutException(
              (IN_FLIGHT - inFlight.availablePermits()) + " item tasks not acknowledged within " + ACK_TIMEOUT));
        }
        inFlight.release(IN_FLIGHT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.util.concurrent.CompletionException(e);
      }
      if (failed.get() != null) {
        throw new java.util.concurrent.CompletionException(failed.get());
      }
    }
  }

  /** Appends an event a run cannot go on without, trying again until the broker takes it. */
  void appendUntilAcknowledged(RestoreEvent event) {
    untilAcknowledged(event.restore(), event.getClass().getSimpleName(), () -> append(event));
  }

  private static void untilAcknowledged(String restore, String what, Runnable write) {
    for (long pause = 1_000; ; pause = Math.min(pause * 2, 30_000)) {
      try {
        write.run();
        return;
      } catch (RuntimeException e) {
        org.jboss.logging.Logger.getLogger(Publisher.class).warnf("restore %s: cannot write %s yet (%s); trying "
            + "again in %d ms", restore, what, e.getMessage(), pause);
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // shutting down: the next start finishes the run from the log
      }
    }
  }
}
