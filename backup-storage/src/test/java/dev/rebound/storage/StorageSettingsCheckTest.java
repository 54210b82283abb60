package dev.rebound.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rebound.support.settings.SettingProblem;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StorageSettingsCheckTest {

  static final String ACCESS = "quarkus.s3.aws.credentials.static-provider.access-key-id";
  static final String SECRET = "quarkus.s3.aws.credentials.static-provider.secret-access-key";

  @Test
  void staticCredentialsNeedBothKeysAndNeverShowThem() {
    assertEquals(List.of(new SettingProblem(ACCESS, "is not set, but quarkus.s3.aws.credentials.type is static")),
        StorageSettingsCheck.credentialProblems("static", Optional.empty(), Optional.of("s3cr3t")));
    List<SettingProblem> both = StorageSettingsCheck.credentialProblems("static", Optional.of(" "), Optional.of(""));
    assertEquals(List.of(new SettingProblem(ACCESS, "is empty, but quarkus.s3.aws.credentials.type is static"),
        new SettingProblem(SECRET, "is empty, but quarkus.s3.aws.credentials.type is static")), both);
    assertEquals(List.of(), StorageSettingsCheck.credentialProblems("static", Optional.of("AKIA1"), Optional.of("s3cr3t")));
    List<SettingProblem> onlySecret = StorageSettingsCheck.credentialProblems("static", Optional.of("AKIA1"),
        Optional.empty());
    assertFalse(onlySecret.toString().contains("AKIA1"), onlySecret.toString());
  }

  @Test
  void otherCredentialTypesAreJudgedByTheServersAnswer() {
    assertEquals(List.of(), StorageSettingsCheck.credentialProblems("default", Optional.empty(), Optional.empty()));
    assertEquals(new SettingProblem("quarkus.s3.aws.credentials.type", "is default, but no credentials can be found"
        + " that way: Unable to load credentials from any of the providers in the chain"),
        StorageSettingsCheck.clientFailure("Unable to load credentials from any of the providers in the chain",
            "default", "http://s3:9000"));
  }

  @Test
  void answersOfTheServerNameTheSettingAtFault() {
    assertEquals(new SettingProblem("rebound.storage.bucket", "bucket \"velero\" does not exist at http://s3:9000"),
        StorageSettingsCheck.refused(404, null, "static", "velero", "http://s3:9000"));
    assertEquals(new SettingProblem(ACCESS, "the S3 server at http://s3:9000 refuses these credentials for bucket"
        + " \"velero\" (InvalidAccessKeyId, HTTP 403)"),
        StorageSettingsCheck.refused(403, "InvalidAccessKeyId", "static", "velero", "http://s3:9000"));
    assertEquals("quarkus.s3.aws.credentials.type",
        StorageSettingsCheck.refused(403, null, "default", "velero", "http://s3:9000").property());
    assertEquals("quarkus.s3.aws.region",
        StorageSettingsCheck.refused(301, null, "static", "velero", "http://s3:9000").property());
    assertEquals(new SettingProblem("quarkus.s3.endpoint-override", "cannot reach the S3 server at http://s3:9000:"
        + " Connection refused"), StorageSettingsCheck.clientFailure("Connection refused", "static", "http://s3:9000"));
  }
}
