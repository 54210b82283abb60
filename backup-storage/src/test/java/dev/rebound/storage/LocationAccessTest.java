package dev.rebound.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** A BackupStorageLocation's credential Secret read as Velero's AWS plugin reads it, and handed to restic. */
class LocationAccessTest {

  private static final String FILE = """
      # velero install --secret-file
      [default]
      aws_access_key_id = AKIAEXAMPLE
      aws_secret_access_key=secret/with=equals

      [backup-team]
      aws_access_key_id = AKIATEAM
      aws_secret_access_key = team-secret
      """;

  private static Secret secret(String key, String content) {
    return new SecretBuilder().withNewMetadata().withName("cloud-credentials").endMetadata()
        .addToData(key, Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8))).build();
  }

  @Test
  void theProfileOfTheCredentialsFileIsRead() {
    assertEquals(Map.of("aws_access_key_id", "AKIAEXAMPLE", "aws_secret_access_key", "secret/with=equals"),
        LocationAccess.profile(FILE, "default"));
    AwsCredentials team = LocationAccess.credentials(Map.of("name", "cloud-credentials", "key", "cloud"),
        secret("cloud", FILE), "backup-team").resolveCredentials();
    assertEquals("AKIATEAM", team.accessKeyId());
    assertEquals("team-secret", team.secretAccessKey());
  }

  @Test
  void aMissingSecretKeyOrProfileIsSaid() {
    Map<String, Object> credential = Map.of("name", "cloud-credentials", "key", "cloud");
    assertEquals("secret \"cloud-credentials\" not found", assertThrows(IllegalArgumentException.class,
        () -> LocationAccess.credentials(credential, null, "default")).getMessage());
    assertEquals("secret \"cloud-credentials\" has no key \"cloud\"", assertThrows(IllegalArgumentException.class,
        () -> LocationAccess.credentials(credential, secret("other", FILE), "default")).getMessage());
    assertEquals("secret \"cloud-credentials\" key \"cloud\" has no aws_access_key_id and aws_secret_access_key in "
        + "profile nightly", assertThrows(IllegalArgumentException.class,
        () -> LocationAccess.credentials(credential, secret("cloud", FILE), "nightly")).getMessage());
  }

  @Test
  void resticGetsTheLocationsEndpointRegionAndKeys() {
    assertEquals("http://minio.velero.svc:9000", LocationAccess.s3Endpoint("http://minio.velero.svc:9000", "minio"));
    assertEquals("https://s3.eu-west-1.amazonaws.com", LocationAccess.s3Endpoint(null, "eu-west-1"));
    assertEquals(Map.of("AWS_DEFAULT_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKIATEAM",
        "AWS_SECRET_ACCESS_KEY", "team-secret"),
        LocationAccess.resticEnvironment("eu-west-1", AwsBasicCredentials.create("AKIATEAM", "team-secret")));
    assertEquals("the-token", LocationAccess.resticEnvironment("us-east-1",
        AwsSessionCredentials.create("AKIATEMP", "temp-secret", "the-token")).get("AWS_SESSION_TOKEN"));
  }
}
