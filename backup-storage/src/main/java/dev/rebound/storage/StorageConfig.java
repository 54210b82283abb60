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

  /** Velero's BackupStorageLocation objects as the locations of backups ({@link StorageLocations}). */
  Locations locations();

  interface Locations {
    /**
     * Read the BackupStorageLocations of the management cluster's Velero namespace: each is a
     * location of backups; off, the one configured store is the only location.
     */
    @WithDefault("false")
    boolean enabled();

    /** The management cluster's kubeconfig; in-cluster credentials when unset. */
    Optional<java.nio.file.Path> kubeconfig();

    /** Velero's namespace there, where its BackupStorageLocations and their credential Secrets are. */
    @WithDefault("velero")
    String namespace();

    /** How often the locations are read again. */
    @WithDefault("10s")
    java.time.Duration refresh();

    /**
     * How often a location is validated (its status written) when its {@code spec.validationFrequency}
     * is unset: Velero's {@code --store-validation-frequency} default.
     */
    @WithDefault("1m")
    java.time.Duration validationFrequency();
  }
}
