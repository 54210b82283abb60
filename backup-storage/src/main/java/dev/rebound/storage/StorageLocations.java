package dev.rebound.storage;

import dev.rebound.support.kube.ManagementClient;
import dev.rebound.support.kube.TargetClusters;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Where backups are (issue 14 scope 4): Velero's BackupStorageLocations of the management cluster's
 * Velero namespace ({@code rebound.storage.locations.enabled}), each with its bucket, prefix, region,
 * {@code s3Url}, {@code s3ForcePathStyle} and credential Secret, so one Rebound serves several
 * locations. Without them, the one configured store ({@code rebound.storage.*}, {@code quarkus.s3.*})
 * is the only location, named {@code rebound.storage.location-name}.
 *
 * <p>The configured store is also Rebound's <em>home</em>: where it keeps the files of restores from
 * a location in {@code ReadOnly} mode, which it never writes to (Velero writes {@code restores/} even
 * there, velero#1978).
 */
@ApplicationScoped
public class StorageLocations {

  private static final Logger LOG = Logger.getLogger(StorageLocations.class);

  /**
   * One location.
   *
   * @param phase the BSL's {@code status.phase} ({@code Available}, {@code Unavailable}, or empty
   *     before it was validated); the configured store is {@code Available}
   * @param message the BSL's {@code status.message}
   */
  public record Location(String name, boolean readOnly, boolean isDefault, String phase, String message,
      BackupStore store) {
    public boolean available() {
      return "Available".equals(phase);
    }
  }

  /**
   * A location's clients, made once per version of its settings (its spec and its Secret's data;
   * not its resourceVersion, which every status write changes), and what restic needs of it.
   */
  private record Built(String version, BackupStore store, S3Client s3, S3Presigner presigner, Access access) {}

  /** Where a location's bucket is and how it is read, for restic. */
  private record Access(String endpoint, String region, String bucket, String prefix,
      AwsCredentialsProvider credentials) {}

  /**
   * What restic needs to read a repository: its URL and the S3 environment restic reads
   * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN},
   * {@code AWS_DEFAULT_REGION}).
   */
  public record Restic(String repository, Map<String, String> environment) {}

  private final BackupStore home;
  private final StorageConfig config;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Built> built = new HashMap<>();
  /**
   * Clients of settings since changed or of a location gone: a restore may still be reading a backup
   * through them, so they are closed when the service stops (a change of a location is rare).
   */
  private final List<Built> retired = new ArrayList<>();
  private volatile List<Location> locations;
  private volatile Instant readAt = Instant.EPOCH;
  private TargetClusters management;

  StorageLocations(BackupStore home, StorageConfig config) {
    this.home = home;
    this.config = config;
  }

  void stop(@Observes ShutdownEvent event) {
    synchronized (this) {
      retired.addAll(built.values());
      retired.forEach(b -> {
        b.s3().close();
        b.presigner().close();
      });
      built.clear();
      retired.clear();
      if (management != null) {
        management.close();
      }
    }
  }

  /** Rebound's own store: the configured one, always written to. */
  public BackupStore home() {
    return home;
  }

  public boolean fromCluster() {
    return config.locations().enabled();
  }

  /**
   * Every location, the default first, then by name.
   *
   * @throws StorageUnavailableException when the BackupStorageLocations cannot be read
   */
  public List<Location> all() throws IOException {
    if (!config.locations().enabled()) {
      return List.of(new Location(config.locationName(), false, true, "Available", null, home));
    }
    Instant now = clock.instant();
    List<Location> known = locations;
    if (known == null || now.isAfter(readAt.plus(config.locations().refresh()))) {
      known = read();
      locations = known;
      readAt = now;
    }
    return known;
  }

  public Optional<Location> named(String name) throws IOException {
    return all().stream().filter(l -> l.name().equals(name)).findFirst();
  }

  /**
   * The location holding the backup: the first, default first, with its {@code velero-backup.json}
   * (Velero's backup sync makes one Backup object per name, syncing the default location first).
   * Unavailable locations are not searched.
   */
  public Optional<Location> withBackup(String backup) throws IOException {
    for (Location location : all()) {
      if (location.available() && unavailableAs(location, () -> location.store().backupMetadata(backup)).isPresent()) {
        return Optional.of(location);
      }
    }
    return Optional.empty();
  }

  /** A read of a location's store. */
  public interface Read<T> {
    T run() throws IOException;
  }

  /**
   * Runs a read of the location's store; the store being unreachable is said with the location's
   * name: {@code backup storage location <name> is unavailable: <cause>}.
   */
  public static <T> T unavailableAs(Location location, Read<T> read) throws IOException {
    try {
      return read.run();
    } catch (StorageUnavailableException e) {
      throw new StorageUnavailableException("backup storage location " + location.name() + " is unavailable: "
          + e.getMessage(), e);
    }
  }

  /**
   * On the Restore as planned: the location its backup was read from. Velero's Restore has no such
   * field (its Backup object's {@code spec.storageLocation} says it); Rebound reads backups from the
   * bucket, so it records the location it found the backup in.
   */
  public static final String ANNOTATION = "rebound.dev/storage-location";

  /** On the Restore, once its files are stored: the location they are in; none for Rebound's own store. */
  public static final String FILES_ANNOTATION = "rebound.dev/files-location";

  /**
   * Where the files of a restore from {@code location} go: that location's name, or null (Rebound's
   * own store) when it is {@code ReadOnly}, unknown, or locations are not read from the cluster.
   */
  public String filesLocation(String location) throws IOException {
    if (location == null || !fromCluster()) {
      return null;
    }
    return named(location).filter(l -> !l.readOnly() && l.store() != null).map(Location::name).orElse(null);
  }

  /** The store of a location by name; Rebound's own store for null (or without locations from the cluster). */
  public BackupStore storeOf(String location) throws IOException {
    if (location == null || !fromCluster()) {
      return home;
    }
    Location found = named(location).orElseThrow(() -> new StorageUnavailableException("backup storage location "
        + location + " does not exist (any more)", null));
    if (found.store() == null) {
      throw new StorageUnavailableException("backup storage location " + location + " is unavailable: "
          + found.message(), null);
    }
    return found.store();
  }

  /**
   * The restic repository of a source namespace backed up into a location (a PodVolumeRestore's
   * {@code spec.backupStorageLocation}), read with that location's bucket, prefix, endpoint, region
   * and credentials; empty when locations are not read from the cluster or none is named (the
   * configured store's repositories are meant).
   *
   * @throws StorageUnavailableException when the location does not exist or cannot be used
   */
  public Optional<Restic> restic(String location, String namespace) throws IOException {
    if (location == null || location.isEmpty() || !fromCluster()) {
      return Optional.empty();
    }
    Location found = named(location).orElseThrow(() -> new StorageUnavailableException(
        "error getting backup storage location: backupstoragelocations.velero.io \"" + location + "\" not found", null));
    Access access;
    synchronized (this) {
      Built b = built.get(location);
      access = found.store() == null || b == null ? null : b.access();
    }
    if (access == null) {
      throw new StorageUnavailableException("backup storage location " + location + " is unavailable: "
          + found.message(), null);
    }
    String repository = new dev.rebound.model.velero.BackupStoreLayout(access.prefix()).resticRepositoryUrl(
        LocationAccess.s3Endpoint(access.endpoint(), access.region()), access.bucket(), namespace);
    return Optional.of(new Restic(repository, LocationAccess.resticEnvironment(access.region(),
        access.credentials().resolveCredentials())));
  }

  /**
   * The backups of every available location as one catalog (the default location first; a name in
   * two locations is the first's), for resolving a restore's backup or schedule (reference 2.5).
   */
  public BackupCatalog catalog() {
    return new BackupCatalog() {
      @Override
      public List<dev.rebound.model.velero.Backup> list() throws IOException {
        if (!fromCluster()) {
          return home.list();
        }
        List<dev.rebound.model.velero.Backup> backups = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Location location : all()) {
          if (location.available()) {
            for (var backup : unavailableAs(location, () -> location.store().list())) {
              if (seen.add(backup.name())) {
                backups.add(backup);
              }
            }
          }
        }
        return backups;
      }

      @Override
      public Optional<dev.rebound.model.velero.Backup> get(String name) throws IOException {
        if (!fromCluster()) {
          return home.get(name); // one location: its errors as they are (Velero's messages name it)
        }
        Optional<Location> location = withBackup(name);
        return location.isEmpty() ? Optional.empty() : unavailableAs(location.get(), () -> location.get().store().get(name));
      }
    };
  }

  private synchronized List<Location> read() throws IOException {
    if (management == null) {
      management = ManagementClient.of(config.locations().kubeconfig());
    }
    var client = management.defaultClient();
    String namespace = config.locations().namespace();
    List<GenericKubernetesResource> bsls;
    try {
      bsls = client.genericKubernetesResources("velero.io/v1", "BackupStorageLocation").inNamespace(namespace).list()
          .getItems();
    } catch (RuntimeException e) {
      throw new StorageUnavailableException("cannot read the BackupStorageLocations of namespace " + namespace + " in "
          + ManagementClient.where(config.locations().kubeconfig()) + ": " + e.getMessage(), e);
    }
    List<Location> read = new ArrayList<>();
    Map<String, Built> kept = new HashMap<>();
    for (GenericKubernetesResource bsl : bsls) {
      String name = bsl.getMetadata().getName();
      Map<String, Object> spec = map(bsl.getAdditionalProperties().get("spec"));
      Map<String, Object> status = map(bsl.getAdditionalProperties().get("status"));
      Map<String, Object> storage = map(spec.get("objectStorage"));
      Map<String, Object> settings = map(spec.get("config"));
      Map<String, Object> credential = map(spec.get("credential"));
      String phase = String.valueOf(status.getOrDefault("phase", ""));
      String message = status.get("message") == null ? null : String.valueOf(status.get("message"));
      boolean readOnly = "ReadOnly".equals(spec.get("accessMode"));
      boolean isDefault = Boolean.TRUE.equals(spec.get("default"));
      try {
        Secret secret = credential.get("name") == null ? null
            : client.secrets().inNamespace(namespace).withName(String.valueOf(credential.get("name"))).get();
        String version = dev.rebound.model.Hashes.sha256Hex(spec + "/" + (secret == null ? "" : secret.getData()));
        Built b = built.get(name);
        if (b == null || !b.version().equals(version)) {
          if (b != null) {
            retired.add(b);
          }
          b = build(version, name, storage, settings, credential, secret);
        }
        kept.put(name, b);
        read.add(new Location(name, readOnly, isDefault, phase, message, b.store()));
      } catch (RuntimeException e) {
        LOG.warnf("BackupStorageLocation %s/%s cannot be used: %s", namespace, name, e.getMessage());
        read.add(new Location(name, readOnly, isDefault, "Unavailable", e.getMessage(), null));
      }
    }
    built.keySet().stream().filter(n -> !kept.containsKey(n)).forEach(n -> retired.add(built.get(n)));
    built.clear();
    built.putAll(kept);
    read.sort(Comparator.comparing((Location l) -> !l.isDefault()).thenComparing(Location::name));
    return List.copyOf(read);
  }

  /** The S3 clients of a BSL of provider {@code aws} (Velero's AWS plugin settings). */
  private Built build(String version, String name, Map<String, Object> storage, Map<String, Object> settings,
      Map<String, Object> credential, Secret secret) {
    Object bucket = storage.get("bucket");
    if (bucket == null || String.valueOf(bucket).isBlank()) {
      throw new IllegalArgumentException("spec.objectStorage.bucket is empty");
    }
    Region region = Region.of(String.valueOf(settings.getOrDefault("region", "us-east-1")));
    boolean pathStyle = Boolean.parseBoolean(String.valueOf(settings.getOrDefault("s3ForcePathStyle", "false")));
    String endpoint = settings.get("s3Url") == null ? null : String.valueOf(settings.get("s3Url"));
    AwsCredentialsProvider credentials = LocationAccess.credentials(credential, secret,
        String.valueOf(settings.getOrDefault("profile", "default")));
    var s3 = S3Client.builder().httpClientBuilder(ApacheHttpClient.builder()).region(region)
        .credentialsProvider(credentials).forcePathStyle(pathStyle);
    var presigner = S3Presigner.builder().region(region).credentialsProvider(credentials)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build());
    if (endpoint != null && !endpoint.isBlank()) {
      s3.endpointOverride(URI.create(endpoint));
      presigner.endpointOverride(URI.create(endpoint));
    }
    S3Client client = s3.build();
    S3Presigner signer = presigner.build();
    Object prefix = storage.get("prefix");
    LOG.infof("BackupStorageLocation %s: bucket %s%s at %s", name, bucket, prefix == null ? "" : ", prefix " + prefix,
        endpoint == null ? "AWS S3 in " + region : endpoint);
    return new Built(version, new BackupStore(client, signer, String.valueOf(bucket),
        prefix == null ? null : String.valueOf(prefix)), client, signer, new Access(endpoint == null || endpoint.isBlank()
            ? null : endpoint, region.id(), String.valueOf(bucket), prefix == null ? null : String.valueOf(prefix),
            credentials));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
