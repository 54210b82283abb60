package dev.rebound.statusreporter.restores;

import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.support.messaging.Channels;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Appends the status-reporter's events (submissions, stored files) to the restore log. */
@ApplicationScoped
public class RestoreLogAppender {

  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

  private final MutinyEmitter<RestoreEvent> events;

  RestoreLogAppender(@Channel(Channels.RESTORE_EVENTS_OUT) MutinyEmitter<RestoreEvent> events) {
    this.events = events;
  }

  /** Returns once the broker acknowledged the event; throws when it did not within a minute. */
  public void append(RestoreEvent event) {
    events.sendMessage(KafkaRecord.of(event.restore(), event)).await().atMost(ACK_TIMEOUT);
  }
}
