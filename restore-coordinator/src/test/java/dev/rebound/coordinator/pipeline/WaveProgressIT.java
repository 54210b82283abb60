package dev.rebound.coordinator.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.coordinator.config.CoordinatorConfig;
import dev.rebound.fixtures.RealisticItems;
import dev.rebound.fixtures.VeleroBackupBuilder;
import dev.rebound.model.Json;
import dev.rebound.model.Topics;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.BackupStoreLayout;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.storage.StorageConfig;
import dev.rebound.support.messaging.RestoreEventDeserializer;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.KubeServerResource;
import dev.rebound.testsupport.S3ServerResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * A restore whose items no item-restorer takes (none runs in this application) does not hang: its
 * wave makes no progress for {@code rebound.coordinator.wave-progress-timeout} (5s in this
 * module's tests) and the restore ends Failed, naming every item without a result. (The same test
 * resources as {@code RestorePlanningIT}, so the application started for one serves both.)
 */
@QuarkusTest
@WithTestResource(S3ServerResource.class)
@WithTestResource(KafkaServerResource.class)
@WithTestResource(value = KubeServerResource.class, initArgs = @ResourceArg(name = "prefix", value = "rebound.coordinator"))
class WaveProgressIT {

  @Inject S3Client s3;
  @Inject StorageConfig storage;
  @Inject CoordinatorConfig config;
  @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers;

  @Test
  void aWaveWithoutResultsEndsTheRestoreFailedNamingTheItemsThatHaveNone() throws Exception {
    assertEquals(Duration.ofSeconds(5), config.waveProgressTimeout());
    try {
      s3.createBucket(b -> b.bucket(storage.bucket()));
    } catch (BucketAlreadyOwnedByYouException e) {
      // Created by an earlier test.
    }
    VeleroBackupBuilder.named("stalled").item(RealisticItems.namespace("stalled"))
        .item(RealisticItems.configMap("stalled", "a", Map.of("k", "v")))
        .item(RealisticItems.configMap("stalled", "b", Map.of("k", "v"))).build()
        .objects(new BackupStoreLayout(storage.prefix().orElse(null)))
        .forEach((key, bytes) -> s3.putObject(b -> b.bucket(storage.bucket()).key(key), RequestBody.fromBytes(bytes)));
    Restore request = Json.yaml().readValue("apiVersion: velero.io/v1\nkind: Restore\nmetadata: {name: stalled-1, "
        + "namespace: velero, uid: 6a1f0c2e-0000-4000-8000-000000000001}\nspec: {backupName: stalled}\n", Restore.class);
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrapServers),
        new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(Topics.RESTORE_EVENTS, "stalled-1", Json.mapper().writeValueAsBytes(
          new RestoreEvent.Submitted("stalled-1", request, List.of("default"), Instant.now())))).get();
    }

    RestoreEvent.Finished finished = awaitFinished("stalled-1", Duration.ofMinutes(2));
    assertEquals(RestorePhase.FAILED, finished.phase());
    // Wave 0 is the namespaces wave: its one namespace never got a result either.
    assertEquals("wave 0 (namespaces) made no progress for 5s; 1 of 1 items have no result: v1/Namespace stalled",
        finished.failureReason());
  }

  @Test
  void theReasonNamesTwentyItemsAndCountsTheRest() {
    List<dev.rebound.model.pipeline.ItemKey> missing = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      missing.add(new dev.rebound.model.pipeline.ItemKey("v1/ConfigMap", "shop", "c" + i));
    }
    RestoreEvent.WaveSummary wave = new RestoreEvent.WaveSummary(3, "configmaps", 200);
    String reason = WaveProgress.stallReason(wave, 23, missing, Duration.ofMinutes(30));
    assertTrue(reason.startsWith("wave 3 (configmaps) made no progress for 30m0s; 23 of 200 items have no result: "
        + "v1/ConfigMap shop/c0, v1/ConfigMap shop/c1, "), reason);
    assertTrue(reason.endsWith("v1/ConfigMap shop/c19 and 3 more"), reason);
  }

  private RestoreEvent.Finished awaitFinished(String restore, Duration timeout) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new RestoreEventDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.RESTORE_EVENTS).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() instanceof RestoreEvent.Finished f && f.restore().equals(restore)) {
            return f;
          }
        }
      }
    }
    throw new AssertionError("restore " + restore + " did not finish within " + timeout);
  }
}
