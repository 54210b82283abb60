package dev.rebound.testsupport;

import dev.rebound.servers.LocalServers;
import dev.rebound.servers.S3Server;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points the Quarkus S3 client at this JVM's real S3 server ({@link LocalServers#s3()}), whose
 * bucket {@value #DEFAULT_BUCKET} (the default {@code rebound.storage.bucket}) exists: a service
 * takes no work while its bucket is missing. The init arg {@code bucket} names another bucket, made
 * before the service starts and set as its {@code rebound.storage.bucket}.
 */
public class S3ServerResource implements QuarkusTestResourceLifecycleManager {

  public static final String DEFAULT_BUCKET = "velero";

  private String bucket = DEFAULT_BUCKET;

  @Override
  public void init(Map<String, String> initArgs) {
    bucket = initArgs.getOrDefault("bucket", DEFAULT_BUCKET);
  }

  @Override
  public Map<String, String> start() {
    OneSetPerJvm.check();
    try {
      LocalServers.s3().createBucket(bucket);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Map<String, String> settings = new java.util.HashMap<>(S3ClientSettings.forServer(LocalServers.s3()));
    if (!bucket.equals(DEFAULT_BUCKET)) {
      settings.put("rebound.storage.bucket", bucket);
    }
    return settings;
  }

  @Override
  public void stop() {
    // Shared by every test class of this JVM; stopped when the JVM exits.
  }

  /** The Quarkus S3 client settings for one S3 server; the local stack uses the same. */
  public static final class S3ClientSettings {
    private S3ClientSettings() {}

    public static Map<String, String> forServer(S3Server s3) {
      return Map.of(
          "quarkus.s3.endpoint-override", s3.endpoint(),
          "quarkus.s3.path-style-access", "true",
          "quarkus.s3.aws.region", S3Server.REGION,
          "quarkus.s3.aws.credentials.type", "static",
          "quarkus.s3.aws.credentials.static-provider.access-key-id", s3.accessKey(),
          "quarkus.s3.aws.credentials.static-provider.secret-access-key", s3.secretKey());
    }
  }
}
