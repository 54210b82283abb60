package dev.rebound.volumerestorer.restic;

import dev.rebound.model.velero.BackupStoreLayout;
import dev.rebound.storage.LocationAccess;
import dev.rebound.storage.StorageConfig;
import dev.rebound.storage.StorageLocations;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * Where the restic repository of a PodVolumeRestore is, and how restic reaches it: with
 * BackupStorageLocations read from the cluster ({@code rebound.storage.locations.enabled}), in the
 * location its {@code spec.backupStorageLocation} names (that location's bucket, prefix, endpoint,
 * region and credentials); else in the configured store ({@code rebound.storage.*}, {@code quarkus.s3.*}).
 * Either way at {@code <prefix>/restic/<source namespace>}, as Velero keeps them.
 */
@ApplicationScoped
public class ResticRepositories {

  private final StorageConfig storage;
  private final StorageLocations locations;
  private final Config properties;

  ResticRepositories(StorageConfig storage, StorageLocations locations, Config properties) {
    this.storage = storage;
    this.locations = locations;
    this.properties = properties;
  }

  /** restic's S3 settings for the configured store: the region and credentials of the service's S3 client. */
  public Map<String, String> environment() {
    Optional<String> id = properties.getOptionalValue("quarkus.s3.aws.credentials.static-provider.access-key-id",
        String.class);
    Optional<String> key = properties.getOptionalValue(
        "quarkus.s3.aws.credentials.static-provider.secret-access-key", String.class);
    return LocationAccess.resticEnvironment(region().orElse(null),
        id.isPresent() && key.isPresent() ? AwsBasicCredentials.create(id.get(), key.get()) : null);
  }

  /**
   * The repository of a source namespace backed up into a location; its environment is null for the
   * configured store (restic then gets {@link #environment()}).
   *
   * @throws IOException when the location does not exist or cannot be used, in the words the
   *     PodVolumeRestore fails with
   */
  public StorageLocations.Restic of(String location, String sourceNamespace) throws IOException {
    Optional<StorageLocations.Restic> fromLocation = locations.restic(location, sourceNamespace);
    if (fromLocation.isPresent()) {
      return fromLocation.get();
    }
    String endpoint = LocationAccess.s3Endpoint(properties.getOptionalValue("quarkus.s3.endpoint-override",
        String.class).orElse(null), region().orElse(null));
    return new StorageLocations.Restic(new BackupStoreLayout(storage.prefix().orElse(null)).resticRepositoryUrl(
        endpoint, storage.bucket(), sourceNamespace), null);
  }

  private Optional<String> region() {
    return properties.getOptionalValue("quarkus.s3.aws.region", String.class);
  }
}
