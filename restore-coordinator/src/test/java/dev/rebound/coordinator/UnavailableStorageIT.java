package dev.rebound.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rebound.model.velero.ObjectMeta;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.testsupport.KafkaServerResource;
import dev.rebound.testsupport.KubeServerResource;
import dev.rebound.testsupport.S3ServerResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reference 2.5 step 10 against the real S3 server: a storage location whose bucket does not exist. */
@QuarkusTest
@TestProfile(UnavailableStorageIT.MissingBucket.class)
@WithTestResource(S3ServerResource.class)
@WithTestResource(KafkaServerResource.class)
@WithTestResource(value = KubeServerResource.class, initArgs = @ResourceArg(name = "prefix", value = "rebound.coordinator"))
class UnavailableStorageIT {

  @Inject RestorePlanning planning;

  @Test
  void unreachableBucketIsVelerosBslUnavailableValidationErrorWithTheCause() {
    Restore r = planning.plan(Restore.of(ObjectMeta.named("r"), RestoreSpec.fromBackup("b1")), "default").restore();
    assertEquals(RestorePhase.FAILED_VALIDATION, r.status().phase());
    assertEquals("The BSL primary is unavailable, cannot retrieve the backup", r.status().validationErrors().get(0));
    assertEquals(true, r.status().validationErrors().get(1)
        .startsWith("cannot read s3://no-such-bucket/backups/b1/velero-backup.json: "), r.status().validationErrors().get(1));
  }

  public static class MissingBucket implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("rebound.storage.bucket", "no-such-bucket",
          "rebound.storage.location-name", "primary");
    }
  }
}
