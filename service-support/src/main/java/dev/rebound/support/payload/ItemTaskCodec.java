package dev.rebound.support.payload;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rebound.model.Json;
import dev.rebound.model.pipeline.ItemTask;
import java.io.IOException;

/**
 * An {@link ItemTask} as a record value: Rebound's JSON, sealed by {@link PayloadCipher} for the
 * record's topic. The one place that turns tasks into bytes and back.
 */
public final class ItemTaskCodec {

  private final PayloadCipher cipher;

  public ItemTaskCodec(PayloadCipher cipher) {
    this.cipher = cipher;
  }

  public byte[] encode(String topic, ItemTask task) {
    try {
      return cipher.seal(topic, Json.mapper().writeValueAsBytes(task));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the task of " + task.resourceId() + " as JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  /** The task in a record value of {@code topic}; {@link UnreadablePayloadException} says why not. */
  public ItemTask decode(String topic, byte[] value) {
    byte[] json = cipher.open(topic, value);
    try {
      return Json.mapper().readValue(json, ItemTask.class);
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(e.getMessage());
      throw new UnreadablePayloadException("the opened value is not an item task (" + why.replaceAll("\\s+", " ")
          + ")", e);
    }
  }
}
