package dev.rebound.examplerestore;

import dev.rebound.fixtures.VeleroBackup;
import dev.rebound.model.velero.BackupStoreLayout;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Puts a backup's files into a bucket in Velero's object-storage layout (reference 1.2), as Velero
 * would, and reads back what is there.
 */
public final class BackupUploader implements AutoCloseable {

  private final S3Client s3;
  private final String bucket;

  public BackupUploader(String endpoint, String region, String accessKey, String secretKey, String bucket) {
    this.s3 = S3Client.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.of(region))
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .httpClientBuilder(ApacheHttpClient.builder())
        .build();
    this.bucket = bucket;
  }

  /** From the local stack's endpoints file ({@code .rebound/stack.properties}). */
  public static BackupUploader of(java.util.Properties stack) {
    return new BackupUploader(stack.getProperty("s3.endpoint"), stack.getProperty("s3.region"),
        stack.getProperty("s3.access-key"), stack.getProperty("s3.secret-key"), stack.getProperty("s3.bucket"));
  }

  /** @return the number of objects written */
  public int upload(VeleroBackup backup, String prefix) {
    Map<String, byte[]> objects = backup.objects(new BackupStoreLayout(prefix));
    objects.forEach((key, bytes) -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes)));
    return objects.size();
  }

  /** Keys of the objects under {@code prefix}, sorted: what a restore left in the bucket, for instance. */
  public java.util.List<String> keys(String prefix) {
    return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
        .map(software.amazon.awssdk.services.s3.model.S3Object::key).sorted().toList();
  }

  /** Deletes every object under {@code prefix}; the number deleted. */
  public int delete(String prefix) {
    java.util.List<String> keys = keys(prefix);
    keys.forEach(key -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    return keys.size();
  }

  /** One object's bytes. */
  public byte[] read(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  @Override
  public void close() {
    s3.close();
  }
}
