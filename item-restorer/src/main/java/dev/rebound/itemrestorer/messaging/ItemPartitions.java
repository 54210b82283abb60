package dev.rebound.itemrestorer.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The item channel's rebalance listener ({@code consumer-rebalance-listener.name}): when the group
 * takes partitions away, their items still queued in the lanes are dropped, unacknowledged, for
 * the partitions' next owner (which starts at their committed offsets) rather than restored twice.
 * Called on the consumer's polling thread, next to the commit strategy's own handling.
 */
@ApplicationScoped
@Identifier("rebound-item-partitions")
public class ItemPartitions implements KafkaConsumerRebalanceListener {

  private final ItemConsumer items;

  ItemPartitions(ItemConsumer items) {
    this.items = items;
  }

  @Override
  public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    items.revoked(partitions);
  }

  @Override
  public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    items.revoked(partitions);
  }
}
