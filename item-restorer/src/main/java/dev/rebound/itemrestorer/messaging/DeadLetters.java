package dev.rebound.itemrestorer.messaging;

import dev.rebound.support.messaging.Channels;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Copies item tasks that cannot be decoded to {@code rebound.restore-items.dead-letter} (channel
 * {@code restore-items-dead-letter-out}) as they were, key, value and headers, with four headers
 * more: the source topic, partition and offset, and the reason.
 */
@ApplicationScoped
public class DeadLetters {

  public static final String SOURCE_TOPIC = "rebound.dead-letter.topic";
  public static final String SOURCE_PARTITION = "rebound.dead-letter.partition";
  public static final String SOURCE_OFFSET = "rebound.dead-letter.offset";
  public static final String REASON = "rebound.dead-letter.reason";

  private final MutinyEmitter<byte[]> out;

  DeadLetters(@Channel(Channels.RESTORE_ITEMS_DEAD_LETTER_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER,
      bufferSize = 256) MutinyEmitter<byte[]> out) {
    this.out = out;
  }

  /** Sends the copy; the answer completes when the broker has acknowledged it. */
  public Uni<Void> send(ConsumerRecord<String, byte[]> record, String reason) {
    Headers headers = new RecordHeaders(record.headers().toArray());
    headers.add(SOURCE_TOPIC, bytes(record.topic()));
    headers.add(SOURCE_PARTITION, bytes(Integer.toString(record.partition())));
    headers.add(SOURCE_OFFSET, bytes(Long.toString(record.offset())));
    headers.add(REASON, bytes(reason));
    OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
        .withKey(record.key()).withHeaders(headers).build();
    return out.sendMessage(Message.of(record.value()).addMetadata(metadata));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
