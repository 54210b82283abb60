package dev.rebound.support.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rebound.model.Json;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/** Writes any Rebound event as JSON with the model's one mapper ({@link Json}). */
public class JsonEventSerializer implements Serializer<Object> {

  @Override
  public byte[] serialize(String topic, Object event) {
    if (event == null) {
      return null;
    }
    try {
      return Json.mapper().writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new SerializationException("cannot write " + event.getClass().getSimpleName() + " to " + topic, e);
    }
  }
}
