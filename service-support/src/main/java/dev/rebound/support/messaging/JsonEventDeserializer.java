package dev.rebound.support.messaging;

import dev.rebound.model.Json;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads one event type from JSON; subclasses name the type (Kafka instantiates them by class). */
public abstract class JsonEventDeserializer<T> implements Deserializer<T> {

  private final Class<T> type;

  protected JsonEventDeserializer(Class<T> type) {
    this.type = type;
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      return Json.mapper().readValue(data, type);
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      throw new SerializationException("invalid " + type.getSimpleName() + " on " + topic + ": " + e.getMessage(), e);
    }
  }
}
