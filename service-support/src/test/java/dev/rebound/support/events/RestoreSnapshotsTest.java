package dev.rebound.support.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rebound.model.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Reading the snapshot topic at start: the last value of a key wins, and one bad record costs nothing else. */
class RestoreSnapshotsTest {

  private static final TopicPartition P0 = new TopicPartition(Topics.RESTORE_SNAPSHOTS, 0);

  @Test
  void summariesDeletionsAndCheckpointsAreSortedOutAndAFailingHandlerSkipsOnlyItsRecord() {
    MockConsumer<String, String> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
    List<String[]> records = List.of(
        new String[] {"a", "{\"a\":1}"}, new String[] {"b", "{\"b\":1}"}, new String[] {"__checkpoint/3", "17"},
        new String[] {"a", null}, new String[] {"c", "{\"c\":1}"}, new String[] {"__deleted/u-1", "{\"u\":1}"},
        new String[] {"__checkpoint/3", "42"}, new String[] {"__deleted/u-2", "{\"u\":2}"});
    consumer.updateEndOffsets(Map.of(P0, (long) records.size()));
    consumer.schedulePollTask(() -> {
      for (int i = 0; i < records.size(); i++) {
        consumer.addRecord(new ConsumerRecord<>(P0.topic(), 0, i, records.get(i)[0], records.get(i)[1]));
      }
    });
    List<String> ended = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    Map<Integer, Long> checkpoints = RestoreSnapshots.read(consumer,
        List.of(new PartitionInfo(P0.topic(), 0, null, null, null)),
        (restore, json) -> {
          if (restore.equals("b")) {
            throw new NullPointerException("a handler's bug");
          }
          ended.add(restore);
        },
        (uid, json) -> deleted.add(uid));
    assertEquals(List.of("c"), ended.stream().sorted().toList(), "a deleted key is forgotten; b's failure skips b only");
    assertEquals(List.of("u-1", "u-2"), deleted.stream().sorted().toList());
    assertEquals(Map.of(3, 42L), checkpoints);
  }
}
