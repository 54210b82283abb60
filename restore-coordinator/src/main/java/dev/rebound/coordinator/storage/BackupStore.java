package dev.rebound.coordinator.storage;

import dev.rebound.coordinator.config.CoordinatorConfig;
import dev.rebound.model.velero.BackupStoreLayout;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Velero's object-storage layout, read through S3 (reference section 1): the backups under
 * {@code <prefix>/backups/<name>/}. The only class of the coordinator that calls S3.
 */
@ApplicationScoped
public class BackupStore {

  private final S3Client s3;
  private final String bucket;
  private final BackupStoreLayout layout;

  BackupStore(S3Client s3, CoordinatorConfig config) {
    this.s3 = s3;
    this.bucket = config.storage().bucket();
    this.layout = new BackupStoreLayout(config.storage().prefix().orElse(null));
  }

  /** Names of the backups in the store, sorted, one per "directory" under {@code backups/}. */
  public List<String> backupNames() {
    String backups = layout.backupsPrefix();
    List<String> names = new ArrayList<>();
    ListObjectsV2Request request =
        ListObjectsV2Request.builder().bucket(bucket).prefix(backups).delimiter("/").build();
    for (var page : s3.listObjectsV2Paginator(request)) {
      for (CommonPrefix p : page.commonPrefixes()) {
        String name = p.prefix().substring(backups.length());
        names.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
      }
    }
    names.sort(null);
    return names;
  }

  /**
   * The backup's {@code velero-backup.json}, whose existence is what "backup exists" means to
   * Velero; empty when there is no such object.
   */
  public Optional<byte[]> backupMetadata(String backupName) {
    String key = layout.backupMetadata(backupName);
    try {
      ResponseBytes<GetObjectResponse> bytes =
          s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build());
      return Optional.of(bytes.asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    }
  }
}
