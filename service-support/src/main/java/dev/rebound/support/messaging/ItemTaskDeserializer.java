package dev.rebound.support.messaging;

import dev.rebound.model.pipeline.ItemTask;

public class ItemTaskDeserializer extends JsonEventDeserializer<ItemTask> {

  public ItemTaskDeserializer() {
    super(ItemTask.class);
  }
}
