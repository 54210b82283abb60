package dev.rebound.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import dev.rebound.model.velero.Backup;
import dev.rebound.model.velero.BackupStoreLayout;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Velero's object-storage layout through S3 (reference section 1): the backups under
 * {@code <prefix>/backups/<name>/} are read, a restore's files under {@code <prefix>/restores/<name>/}
 * are written. The only class of Rebound that calls S3. S3 failures become {@link IOException}s
 * naming the object, so callers report them instead of crashing.
 */
@ApplicationScoped
public class BackupStore implements BackupCatalog {

  private final S3Client s3;
  private final S3Presigner presigner;
  private final String bucket;
  private final BackupStoreLayout layout;

  @jakarta.inject.Inject
  BackupStore(S3Client s3, S3Presigner presigner, StorageConfig config) {
    this(s3, presigner, config.bucket(), config.prefix().orElse(null));
  }

  /** A store of another location (a BackupStorageLocation's bucket and prefix, its own clients). */
  BackupStore(S3Client s3, S3Presigner presigner, String bucket, String prefix) {
    this.s3 = s3;
    this.presigner = presigner;
    this.bucket = bucket;
    this.layout = new BackupStoreLayout(prefix);
  }

  /** Velero's top-level directories of a backup store (reference 1): anything else makes it invalid. */
  static final java.util.Set<String> VALID_DIRS = java.util.Set.of("backups", "restores", "restic", "metadata",
      "plugins", "kopia");

  /**
   * Velero's {@code IsValid} of a backup store (reference 1, BSL validation): the top-level
   * "directories" under the root are listed, and any but Velero's makes the store invalid.
   *
   * @throws IOException with Velero's message ("Backup store contains invalid top-level directories:
   *     [...]", at most 3 named), or the listing's error
   */
  public void validate() throws IOException {
    String root = layout.root();
    List<String> invalid = new ArrayList<>();
    try {
      for (var page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(root)
          .delimiter("/").build())) {
        for (CommonPrefix p : page.commonPrefixes()) {
          String dir = p.prefix().substring(root.length());
          dir = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
          if (!VALID_DIRS.contains(dir)) {
            invalid.add(dir);
          }
        }
      }
    } catch (SdkException e) {
      throw new StorageUnavailableException("rpc error: code = Unknown desc = " + e.getMessage(), e);
    }
    if (invalid.size() > 3) {
      throw new IOException("Backup store contains " + invalid.size() + " invalid top-level directories: ["
          + String.join(" ", invalid.subList(0, 3)) + " ...]");
    }
    if (!invalid.isEmpty()) {
      throw new IOException("Backup store contains invalid top-level directories: [" + String.join(" ", invalid) + "]");
    }
  }

  /** The bucket this store reads and writes. */
  public String bucket() {
    return bucket;
  }

  /** {@code s3://<bucket>/<key>}, as messages name an object. */
  public String url(String key) {
    return "s3://" + bucket + "/" + key;
  }

  public BackupStoreLayout layout() {
    return layout;
  }

  /** Names of the backups in the store, sorted, one per "directory" under {@code backups/}. */
  public List<String> backupNames() throws IOException {
    String backups = layout.backupsPrefix();
    List<String> names = new ArrayList<>();
    ListObjectsV2Request request =
        ListObjectsV2Request.builder().bucket(bucket).prefix(backups).delimiter("/").build();
    try {
      for (var page : s3.listObjectsV2Paginator(request)) {
        for (CommonPrefix p : page.commonPrefixes()) {
          String name = p.prefix().substring(backups.length());
          names.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
        }
      }
    } catch (SdkException e) {
      throw new StorageUnavailableException("cannot list " + url(backups) + ": " + e.getMessage(), e);
    }
    names.sort(null);
    return names;
  }

  /**
   * The backup's {@code velero-backup.json} bytes, whose existence is what "backup exists" means
   * to Velero; empty when there is no such object.
   */
  public Optional<byte[]> backupMetadata(String backupName) throws IOException {
    return bytes(layout.backupMetadata(backupName));
  }

  /** Every backup with a readable {@code velero-backup.json}; one that is not valid JSON is left out. */
  @Override
  public List<Backup> list() throws IOException {
    List<Backup> backups = new ArrayList<>();
    for (String name : backupNames()) {
      try {
        get(name).ifPresent(backups::add);
      } catch (InvalidBackupMetadataException e) {
        // Velero's sync skips such backups too; a restore naming one gets the error from get().
      }
    }
    return backups;
  }

  /**
   * The backup's {@code velero-backup.json} as stored, every field kept (newer Velero versions
   * write fields {@link Backup} does not read); empty when there is no such object.
   *
   * @throws InvalidBackupMetadataException when it is not a JSON object
   */
  public Optional<ObjectNode> storedBackup(String name) throws IOException {
    Optional<byte[]> json = backupMetadata(name);
    if (json.isEmpty()) {
      return Optional.empty();
    }
    JsonNode tree;
    try {
      tree = Json.mapper().readTree(json.get());
    } catch (IOException e) {
      throw new InvalidBackupMetadataException("invalid " + url(layout.backupMetadata(name)) + ": " + e.getMessage(), e);
    }
    if (!(tree instanceof ObjectNode object)) {
      throw new InvalidBackupMetadataException("invalid " + url(layout.backupMetadata(name)) + ": not a JSON object",
          null);
    }
    return Optional.of(object);
  }

  @Override
  public Optional<Backup> get(String name) throws IOException {
    Optional<byte[]> json = backupMetadata(name);
    if (json.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.mapper().readValue(json.get(), Backup.class));
    } catch (IOException e) {
      throw new InvalidBackupMetadataException("invalid " + url(layout.backupMetadata(name)) + ": " + e.getMessage(), e);
    }
  }

  /** The backup tarball as a stream straight from S3; the caller closes it. */
  public InputStream openTarball(String backupName) throws IOException {
    String key = layout.backupTarball(backupName);
    try {
      return s3.getObject(b -> b.bucket(bucket).key(key));
    } catch (NoSuchKeyException e) {
      throw new IOException("backup tarball " + url(key) + " does not exist", e);
    } catch (SdkException e) {
      throw new IOException("cannot read " + url(key) + ": " + e.getMessage(), e);
    }
  }

  /** {@code <b>-resource-list.json.gz}, if the backup has one (Velero 1.1+). */
  public Optional<JsonNode> resourceList(String backupName) throws IOException {
    return gzipJson(layout.backupResourceList(backupName));
  }

  /** {@code <b>-volumesnapshots.json.gz}: native snapshot records; absent on legacy backups. */
  public Optional<JsonNode> volumeSnapshots(String backupName) throws IOException {
    return gzipJson(layout.volumeSnapshots(backupName));
  }

  /** {@code <b>-podvolumebackups.json.gz}: file-system backups of pod volumes. */
  public Optional<JsonNode> podVolumeBackups(String backupName) throws IOException {
    return gzipJson(layout.podVolumeBackups(backupName));
  }

  /** {@code <b>-csi-volumesnapshots.json.gz} (Velero 1.4 to 1.16): read by the legacy PV logic. */
  public Optional<JsonNode> csiVolumeSnapshots(String backupName) throws IOException {
    return gzipJson(layout.csiVolumeSnapshots(backupName));
  }

  /** {@code <b>-volumeinfo.json.gz} (Velero 1.13+); absent means the legacy PV logic applies. */
  public Optional<JsonNode> volumeInfo(String backupName) throws IOException {
    return gzipJson(layout.volumeInfo(backupName));
  }

  /** A gzipped text object (a restore's log, or a JSON file as its text), or empty when there is none. */
  public Optional<String> gzipText(String key) throws IOException {
    Optional<byte[]> gz = bytes(key);
    if (gz.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz.get()))) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IOException("invalid " + url(key) + ": " + e.getMessage(), e);
    }
  }

  private Optional<JsonNode> gzipJson(String key) throws IOException {
    Optional<byte[]> gz = bytes(key);
    if (gz.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz.get()))) {
      return Optional.of(Json.mapper().readTree(in));
    } catch (IOException e) {
      throw new IOException("invalid " + url(key) + ": " + e.getMessage(), e);
    }
  }

  private Optional<byte[]> bytes(String key) throws IOException {
    try {
      return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw new StorageUnavailableException("cannot read " + url(key) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes one object. The content is written whole: S3 replaces an existing object atomically,
   * so writing the same file again (a restarted writer) is harmless.
   */
  public void put(String key, byte[] content) throws IOException {
    try {
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    } catch (SdkException e) {
      throw new StorageUnavailableException("cannot write " + url(key) + ": " + e.getMessage(), e);
    }
  }

  /**
   * A pre-signed URL that GETs one object for {@code ttl}, as Velero's object store plugins'
   * {@code CreateSignedURL} gives for download requests (reference 1, {@code DownloadURLTTL}): it
   * carries its own authorization, so a client without S3 credentials (curl, the Velero CLI) can
   * fetch the file until it expires.
   */
  public String signedUrl(String key, java.time.Duration ttl) {
    return presigner.presignGetObject(p -> p.signatureDuration(ttl).getObjectRequest(g -> g.bucket(bucket).key(key)))
        .url().toString();
  }

  /**
   * Deletes every object under the restore's directory {@code restores/<name>/}, as Velero's restore
   * finalizer does when a Restore is deleted (reference 8.5). Deleting nothing is no error, so a
   * deletion tried again after a crash simply finds less.
   *
   * @return how many objects were deleted
   */
  public int deleteRestoreFiles(String restore) throws IOException {
    String dir = layout.restoreDir(restore);
    int deleted = 0;
    try {
      for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(dir))) {
        for (var object : page.contents()) {
          s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
          deleted++;
        }
      }
    } catch (SdkException e) {
      throw new StorageUnavailableException("cannot delete the files of restore " + restore + " under " + url(dir)
          + ": " + e.getMessage(), e);
    }
    return deleted;
  }

  /**
   * Writes {@code value} as Velero writes its {@code .json.gz} and results files: one JSON value
   * with a trailing newline (Go's {@code json.Encoder}), gzip-compressed (reference 1.2, 1.4).
   */
  public void putGzipJson(String key, Object value) throws IOException {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    Json.mapper().writeValue(json, value);
    json.write('\n');
    put(key, gzip(json.toByteArray()));
  }

  private static byte[] gzip(byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(content);
    }
    return out.toByteArray();
  }

  /** A {@code velero-backup.json} that exists but cannot be read as a Backup. */
  public static final class InvalidBackupMetadataException extends IOException {
    InvalidBackupMetadataException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
