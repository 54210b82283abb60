package dev.rebound.coordinator.volumes;

import dev.rebound.model.pipeline.PersistentVolumePatch;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 12, outages wait: a volume patch that meets an unreachable or overloaded target looks again. */
class PersistentVolumePatcherTransientTest {

  @ParameterizedTest(name = "HTTP {0} looked at again: {1}")
  @CsvSource({"0,true", "-1,true", "429,true", "500,true", "502,true", "503,true", "504,true", "400,false",
      "403,false", "404,false", "409,false", "422,false"})
  void onlyNoAnswerThrottlingAndServerErrorsAreWaitedOut(int code, boolean waited) {
    assertEquals(waited, PersistentVolumePatcher.transientFailure(new KubernetesClientException("m", code, null)));
  }
}
