package dev.rebound.support.payload;

import dev.rebound.model.pipeline.ItemTask;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value serializer of the item channel ({@code restore-items-out}): each task sealed with the
 * key the channel passes as {@value #PAYLOAD_KEY} (SmallRye hands every channel attribute to the
 * Kafka client, and so to {@link #configure}), and its identity written to the record's headers.
 */
public class ItemTaskSerializer implements Serializer<ItemTask> {

  /** The channel attribute with the base64 key: {@code ${rebound.service.payload-key:}} in configuration. */
  public static final String PAYLOAD_KEY = "rebound.payload-key";

  private ItemTaskCodec codec;
  private String keyProblem = "is not configured on this channel (" + PAYLOAD_KEY + ")";

  public ItemTaskSerializer() {}

  /** Outside Kafka's configuration (tests, tools): with this key. */
  public ItemTaskSerializer(String base64Key) {
    configure(Map.of(PAYLOAD_KEY, base64Key), false);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    Object key = configs.get(PAYLOAD_KEY);
    try {
      codec = new ItemTaskCodec(PayloadCipher.fromBase64(key == null ? null : key.toString()));
    } catch (IllegalArgumentException e) {
      // Not thrown here: the channel would fail to start; the settings check names the property,
      // and no task is published before it passes.
      codec = null;
      keyProblem = e.getMessage();
    }
  }

  @Override
  public byte[] serialize(String topic, ItemTask task) {
    throw new UnsupportedOperationException("item tasks are written with their headers");
  }

  @Override
  public byte[] serialize(String topic, Headers headers, ItemTask task) {
    if (task == null) {
      return null;
    }
    if (codec == null) {
      throw new SerializationException("cannot seal the task of " + task.resourceId()
          + ": rebound.service.payload-key " + keyProblem);
    }
    ItemTaskHeaders.write(headers, task);
    try {
      return codec.encode(topic, task);
    } catch (IllegalArgumentException e) {
      throw new SerializationException(e.getMessage(), e);
    }
  }
}
