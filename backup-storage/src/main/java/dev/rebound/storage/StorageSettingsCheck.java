package dev.rebound.storage;

import dev.rebound.support.settings.SettingProblem;
import dev.rebound.support.settings.SettingsCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The backup storage location a service reads or writes: S3 credentials present (never printed),
 * the S3 server reachable, the bucket {@code rebound.storage.bucket} there and these credentials
 * accepted (one {@code HeadBucket}).
 */
@ApplicationScoped
public class StorageSettingsCheck implements SettingsCheck {

  static final String TYPE = "quarkus.s3.aws.credentials.type";
  static final String ACCESS_KEY = "quarkus.s3.aws.credentials.static-provider.access-key-id";
  static final String SECRET_KEY = "quarkus.s3.aws.credentials.static-provider.secret-access-key";
  static final String ENDPOINT = "quarkus.s3.endpoint-override";
  static final String REGION = "quarkus.s3.aws.region";
  static final String BUCKET = "rebound.storage.bucket";

  private final Instance<S3Client> s3;
  private final StorageConfig storage;

  StorageSettingsCheck(Instance<S3Client> s3, StorageConfig storage) {
    this.s3 = s3;
    this.storage = storage;
  }

  @Override
  public String name() {
    return "s3";
  }

  @Override
  public List<SettingProblem> check() {
    Config config = ConfigProvider.getConfig();
    String type = declaredType(config);
    List<SettingProblem> problems = credentialProblems(type, config.getOptionalValue(ACCESS_KEY, String.class),
        config.getOptionalValue(SECRET_KEY, String.class));
    if (!problems.isEmpty()) {
      return problems; // no request with credentials known to be unusable
    }
    String endpoint = config.getOptionalValue(ENDPOINT, String.class)
        .orElse("AWS's endpoint for region " + config.getOptionalValue(REGION, String.class).orElse("(none)"));
    String bucket = storage.bucket();
    try {
      s3.get().headBucket(b -> b.bucket(bucket));
      return List.of();
    } catch (NoSuchBucketException e) {
      return List.of(missingBucket(bucket, endpoint));
    } catch (S3Exception e) {
      return List.of(refused(e.statusCode(), e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode(),
          type, bucket, endpoint));
    } catch (SdkClientException e) {
      return List.of(clientFailure(oneLine(e.getMessage()), type, endpoint));
    } catch (RuntimeException e) {
      return List.of(new SettingProblem(ENDPOINT, "the S3 client for " + endpoint + " cannot be made: "
          + oneLine(String.valueOf(e.getMessage()))));
    }
  }

  /**
   * The credentials type as configured, read from the configuration sources themselves: for the
   * client, {@link StaticCredentialsGuard} turns static credentials with an empty key into
   * {@code anonymous}.
   */
  static String declaredType(Config config) {
    for (org.eclipse.microprofile.config.spi.ConfigSource source : config.getConfigSources()) {
      String value = source.getValue(TYPE);
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    return "default";
  }

  /** Static credentials need both keys; their values are never part of a message. */
  static List<SettingProblem> credentialProblems(String type, Optional<String> accessKey, Optional<String> secretKey) {
    List<SettingProblem> problems = new ArrayList<>();
    if ("static".equalsIgnoreCase(type.trim())) {
      if (accessKey.map(String::isBlank).orElse(true)) {
        problems.add(new SettingProblem(ACCESS_KEY, (accessKey.isEmpty() ? "is not set" : "is empty")
            + ", but " + TYPE + " is static"));
      }
      if (secretKey.map(String::isBlank).orElse(true)) {
        problems.add(new SettingProblem(SECRET_KEY, (secretKey.isEmpty() ? "is not set" : "is empty")
            + ", but " + TYPE + " is static"));
      }
    }
    return problems;
  }

  /** An S3 answer other than success to {@code HeadBucket}, as the setting at fault. */
  static SettingProblem refused(int status, String errorCode, String type, String bucket, String endpoint) {
    String code = errorCode == null ? "" : errorCode + ", ";
    if (status == 404) {
      return missingBucket(bucket, endpoint);
    }
    if (status == 403 || status == 401) {
      String property = "static".equalsIgnoreCase(type.trim()) ? ACCESS_KEY : TYPE;
      return new SettingProblem(property, "the S3 server at " + endpoint + " refuses these credentials for bucket \""
          + bucket + "\" (" + code + "HTTP " + status + ")");
    }
    if (status == 301 || status == 400 && "AuthorizationHeaderMalformed".equals(errorCode)) {
      return new SettingProblem(REGION, "bucket \"" + bucket + "\" at " + endpoint + " is in another region ("
          + code + "HTTP " + status + ")");
    }
    return new SettingProblem(ENDPOINT, "the S3 server at " + endpoint + " answers HTTP " + status + " ("
        + code.replace(", ", "") + ") for bucket \"" + bucket + "\"");
  }

  /** A failure before any S3 answer: no credentials found, or no S3 server there. */
  static SettingProblem clientFailure(String message, String type, String endpoint) {
    if (message.contains("Unable to load credentials")) {
      return new SettingProblem(TYPE, "is " + type + ", but no credentials can be found that way: " + message);
    }
    return new SettingProblem(ENDPOINT, "cannot reach the S3 server at " + endpoint + ": " + message);
  }

  private static SettingProblem missingBucket(String bucket, String endpoint) {
    return new SettingProblem(BUCKET, "bucket \"" + bucket + "\" does not exist at " + endpoint);
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }
}
