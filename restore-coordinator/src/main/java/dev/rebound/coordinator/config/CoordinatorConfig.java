package dev.rebound.coordinator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The coordinator's settings, under {@code rebound.coordinator}. */
@ConfigMapping(prefix = "rebound.coordinator")
public interface CoordinatorConfig {

  /** Where Velero's backups are: the backup storage location's bucket and prefix. */
  Storage storage();

  interface Storage {
    /** The bucket, as in a Velero BackupStorageLocation's {@code spec.objectStorage.bucket}. */
    @WithDefault("velero")
    String bucket();

    /** The optional prefix inside the bucket ({@code spec.objectStorage.prefix}). */
    Optional<String> prefix();
  }
}
