package dev.rebound.support.messaging;

import dev.rebound.model.ComponentHeartbeat;

public class ComponentHeartbeatDeserializer extends JsonEventDeserializer<ComponentHeartbeat> {

  public ComponentHeartbeatDeserializer() {
    super(ComponentHeartbeat.class);
  }
}
