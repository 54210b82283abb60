package dev.rebound.coordinator.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebound.storage.StorageConfig;
import dev.rebound.storage.BackupStore;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.S3ServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The Quarkus S3 client against the real S3 server (S3Proxy): Velero's layout, reference 1.1-1.2. */
@QuarkusTest
@WithTestResource(S3ServerResource.class)
@WithTestResource(KafkaServerResource.class)
class BackupStoreIT {

  @Inject S3Client s3;
  @Inject BackupStore store;
  @Inject StorageConfig config;

  private String bucket;

  @BeforeEach
  void createBucket() {
    bucket = config.bucket();
    try {
      s3.createBucket(b -> b.bucket(bucket));
    } catch (BucketAlreadyOwnedByYouException e) {
      // Created by an earlier test of this class.
    }
  }

  @Test
  void objectPutThroughTheQuarkusClientIsListedAndReadBack() throws java.io.IOException {
    byte[] metadata = "{\"apiVersion\":\"velero.io/v1\",\"kind\":\"Backup\"}\n".getBytes(StandardCharsets.UTF_8);
    s3.putObject(b -> b.bucket(bucket).key("backups/nginx-daily/velero-backup.json"), RequestBody.fromBytes(metadata));

    List<String> keys = s3.listObjectsV2(b -> b.bucket(bucket).prefix("backups/nginx-daily/"))
        .contents().stream().map(S3Object::key).toList();
    assertEquals(List.of("backups/nginx-daily/velero-backup.json"), keys);
    assertArrayEquals(metadata, store.backupMetadata("nginx-daily").orElseThrow());
  }

  @Test
  void backupsAreListedByTheirDirectoriesUnderBackups() throws java.io.IOException {
    for (String key : List.of("backups/a-backup/velero-backup.json", "backups/a-backup/a-backup.tar.gz",
        "backups/b-backup/velero-backup.json", "restores/r1/restore-r1-logs.gz")) {
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x"));
    }
    List<String> names = store.backupNames();
    assertTrue(names.containsAll(List.of("a-backup", "b-backup")), names.toString());
    assertTrue(names.stream().noneMatch(n -> n.startsWith("r1")), "restores/ is not a backup: " + names);
  }

  @Test
  void missingMetadataMeansTheBackupDoesNotExist() throws java.io.IOException {
    assertEquals(Optional.empty(), store.backupMetadata("no-such-backup"));
  }
}
