package dev.rebound.support.messaging;

import dev.rebound.model.pipeline.RestoreEvent;

public class RestoreEventDeserializer extends JsonEventDeserializer<RestoreEvent> {

  public RestoreEventDeserializer() {
    super(RestoreEvent.class);
  }
}
