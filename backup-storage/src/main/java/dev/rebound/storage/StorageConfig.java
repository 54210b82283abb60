package dev.rebound.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Where Velero's backups are, under {@code rebound.storage}: the backup storage location's
 * bucket and prefix (reference 1.1). The S3 endpoint and credentials are Quarkus' own
 * ({@code quarkus.s3.*}).
 */
@ConfigMapping(prefix = "rebound.storage")
public interface StorageConfig {

  /** The bucket, as in a Velero BackupStorageLocation's {@code spec.objectStorage.bucket}. */
  @WithDefault("velero")
  String bucket();

  /** The optional prefix inside the bucket ({@code spec.objectStorage.prefix}). */
  Optional<String> prefix();

  /** The backup storage location's name, as Velero's messages and synced backups name it. */
  @WithDefault("default")
  String locationName();
}
