package dev.rebound.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/** A BackupStorageLocation's credential Secret read as Velero's AWS plugin reads it. */
class StorageLocationsTest {

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
        StorageLocations.profile(FILE, "default"));
    AwsCredentials team = StorageLocations.credentials(Map.of("name", "cloud-credentials", "key", "cloud"),
        secret("cloud", FILE), "backup-team").resolveCredentials();
    assertEquals("AKIATEAM", team.accessKeyId());
    assertEquals("team-secret", team.secretAccessKey());
  }

  @Test
  void aMissingSecretKeyOrProfileIsSaid() {
    Map<String, Object> credential = Map.of("name", "cloud-credentials", "key", "cloud");
    assertEquals("secret \"cloud-credentials\" not found", assertThrows(IllegalArgumentException.class,
        () -> StorageLocations.credentials(credential, null, "default")).getMessage());
    assertEquals("secret \"cloud-credentials\" has no key \"cloud\"", assertThrows(IllegalArgumentException.class,
        () -> StorageLocations.credentials(credential, secret("other", FILE), "default")).getMessage());
    assertEquals("secret \"cloud-credentials\" key \"cloud\" has no aws_access_key_id and aws_secret_access_key in "
        + "profile nightly", assertThrows(IllegalArgumentException.class,
        () -> StorageLocations.credentials(credential, secret("cloud", FILE), "nightly")).getMessage());
  }
}
