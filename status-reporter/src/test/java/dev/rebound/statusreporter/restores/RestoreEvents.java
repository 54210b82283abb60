package dev.rebound.statusreporter.restores;

import dev.rebound.model.Topics;
import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.ObjectMeta;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.model.velero.Result;
import dev.rebound.servers.LocalServers;
import dev.rebound.support.messaging.JsonEventSerializer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Appends, to the real broker's restore log, the events the coordinator and item-restorers
 * would append for a small restore: the status-reporter under test cannot tell the difference.
 */
final class RestoreEvents {

  private RestoreEvents() {}

  /** Plans {@code restore} (one wave of two ConfigMaps), restores both (one with a warning) and finishes it. */
  static void runToCompletion(String restore, String backup) throws Exception {
    Restore resolved = Restore.of(new ObjectMeta(restore, "velero", null, null, null, null, null),
        RestoreSpec.fromBackup(backup));
    Instant now = Instant.now();
    List<RestoreEvent> events = List.of(
        new RestoreEvent.Planned(restore, "default", resolved,
            List.of(new RestoreEvent.WaveSummary(0, "configmaps", 2)), Result.empty(), Result.empty(), now),
        new RestoreEvent.WaveStarted(restore, "default", 0, 2, now),
        new RestoreEvent.ItemRestored(restore, "default", 0, new ItemKey("v1/ConfigMap", "shop", "a"),
            ItemAction.CREATED, Result.empty(), Result.empty(), List.of("Restored ConfigMap: a"), "w1", now),
        new RestoreEvent.ItemRestored(restore, "default", 0, new ItemKey("v1/ConfigMap", "shop", "b"),
            ItemAction.FAILED, Result.empty().add("shop", "could not restore, ConfigMap:b already exists. Warning: "
                + "the in-cluster version is different than the backed-up version"), Result.empty(), List.of(),
            "w1", now),
        new RestoreEvent.Finished(restore, "default", RestorePhase.COMPLETED, null, now));
    append(restore, events);
  }

  /** Plans {@code restore} (one wave of one ConfigMap) at {@code at}: from then it is InProgress. */
  static void plan(String restore, String backup, Instant at) throws Exception {
    Restore resolved = Restore.of(new ObjectMeta(restore, "velero", null, null, null, null, null),
        RestoreSpec.fromBackup(backup));
    append(restore, List.of(new RestoreEvent.Planned(restore, "default", resolved,
        List.of(new RestoreEvent.WaveSummary(0, "configmaps", 1)), Result.empty(), Result.empty(), at),
        new RestoreEvent.WaveStarted(restore, "default", 0, 1, at)));
  }

  /** Restores the one item of a restore {@link #plan planned} and finishes it Completed. */
  static void finish(String restore) throws Exception {
    Instant now = Instant.now();
    append(restore, List.of(new RestoreEvent.ItemRestored(restore, "default", 0, new ItemKey("v1/ConfigMap", "shop",
        "only"), ItemAction.CREATED, Result.empty(), Result.empty(), List.of(), "w1", now),
        new RestoreEvent.Finished(restore, "default", RestorePhase.COMPLETED, null, now)));
  }

  private static void append(String restore, List<RestoreEvent> events) throws Exception {
    try (var producer = new KafkaProducer<>(
        Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServers.kafka().bootstrapServers()),
        new StringSerializer(), new JsonEventSerializer())) {
      for (RestoreEvent event : events) {
        producer.send(new ProducerRecord<>(Topics.RESTORE_EVENTS, restore, event)).get();
      }
    }
  }
}
