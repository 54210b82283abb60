package dev.rebound.statusreporter.restores;

import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.support.messaging.Channels;
import dev.rebound.support.events.RestoreLogReader;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.OutgoingMessageMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.apache.kafka.clients.producer.RecordMetadata;
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
    append(event, ACK_TIMEOUT);
  }

  /**
   * Returns once the broker acknowledged the event, with where it is in the log (the Kafka
   * connector sets the producer's {@link RecordMetadata} as the message's {@link OutgoingMessageMetadata}
   * result before acknowledging it); throws when there was no acknowledgement within {@code timeout}.
   */
  public RestoreLogReader.Position append(RestoreEvent event, Duration timeout) {
    OutgoingMessageMetadata<RecordMetadata> sent = new OutgoingMessageMetadata<>();
    events.sendMessage(KafkaRecord.of(event.restore(), event).addMetadata(sent)).await().atMost(timeout);
    RecordMetadata record = sent.getResult();
    if (record == null) {
      throw new IllegalStateException("the broker acknowledged " + event.getClass().getSimpleName() + " of restore "
          + event.restore() + " without its partition and offset");
    }
    return new RestoreLogReader.Position(record.partition(), record.offset(), false);
  }
}
