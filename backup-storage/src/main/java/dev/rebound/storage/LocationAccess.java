package dev.rebound.storage;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import io.fabric8.kubernetes.api.model.Secret;
import org.eclipse.microprofile.config.ConfigProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * How a backup storage location is reached: its credentials (Velero's AWS plugin reads them from an
 * AWS credentials file), its S3 endpoint, and both as restic reads them.
 */
public final class LocationAccess {

  private LocationAccess() {}

  /**
   * The BSL's credential: an AWS credentials file in its Secret's key (Velero's
   * {@code spec.credential}), the profile {@code config.profile}; without one, the configured store's
   * static keys, else the SDK's default chain (as Velero falls back to its server's credentials).
   */
  static AwsCredentialsProvider credentials(Map<String, Object> credential, Secret secret, String profile) {
    if (credential.get("name") != null) {
      if (secret == null) {
        throw new IllegalArgumentException("secret \"" + credential.get("name") + "\" not found");
      }
      String key = String.valueOf(credential.get("key"));
      String encoded = secret.getData() == null ? null : secret.getData().get(key);
      if (encoded == null) {
        throw new IllegalArgumentException("secret \"" + credential.get("name") + "\" has no key \"" + key + "\"");
      }
      Map<String, String> keys = profile(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8),
          profile);
      String id = keys.get("aws_access_key_id");
      String secretKey = keys.get("aws_secret_access_key");
      if (id == null || secretKey == null) {
        throw new IllegalArgumentException("secret \"" + credential.get("name") + "\" key \"" + key + "\" has no "
            + "aws_access_key_id and aws_secret_access_key in profile " + profile);
      }
      return StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secretKey));
    }
    var config = ConfigProvider.getConfig();
    Optional<String> id = config.getOptionalValue("quarkus.s3.aws.credentials.static-provider.access-key-id",
        String.class);
    Optional<String> secretKey = config.getOptionalValue(
        "quarkus.s3.aws.credentials.static-provider.secret-access-key", String.class);
    if (id.isPresent() && secretKey.isPresent()) {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create(id.get(), secretKey.get()));
    }
    return DefaultCredentialsProvider.create();
  }

  /** The keys of one profile of an AWS credentials file ({@code [name]} sections, {@code key = value} lines). */
  static Map<String, String> profile(String file, String profile) {
    Map<String, String> keys = new HashMap<>();
    String section = null;
    for (String raw : file.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1).strip();
        continue;
      }
      int eq = line.indexOf('=');
      if (eq > 0 && profile.equals(section)) {
        keys.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
    }
    return keys;
  }

  /** The S3 endpoint of a location: its {@code s3Url}, else AWS S3 in its region. */
  public static String s3Endpoint(String s3Url, String region) {
    return s3Url != null ? s3Url : "https://s3." + (region == null ? "us-east-1" : region) + ".amazonaws.com";
  }

  /** The environment restic reads its S3 region and credentials from. */
  public static Map<String, String> resticEnvironment(String region,
      AwsCredentials credentials) {
    Map<String, String> env = new LinkedHashMap<>();
    if (region != null) {
      env.put("AWS_DEFAULT_REGION", region);
    }
    if (credentials != null) {
      env.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
      env.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
      if (credentials instanceof AwsSessionCredentials session) {
        env.put("AWS_SESSION_TOKEN", session.sessionToken());
      }
    }
    return env;
  }
}
