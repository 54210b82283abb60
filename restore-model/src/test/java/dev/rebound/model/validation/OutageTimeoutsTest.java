package dev.rebound.model.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rebound.model.velero.ObjectMeta;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestoreSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code rebound.dev/outage-timeout} annotation: a positive Go duration, else a validation error. */
class OutageTimeoutsTest {

  private static final Duration DEFAULT = Duration.ofMinutes(10);

  private static Restore annotated(String value) {
    Map<String, String> annotations = value == null ? null : Map.of(OutageTimeouts.ANNOTATION, value);
    return new Restore(Restore.API_VERSION, Restore.KIND, new ObjectMeta("r1", "velero", "u", null, null, null,
        annotations), RestoreSpec.fromBackup("nightly"), null);
  }

  @ParameterizedTest(name = "\"{0}\" is {1} ms")
  @CsvSource(delimiter = '|', value = {
      "5s      | 5000",
      "1h30m   | 5400000",
      "2.5m    | 150000",
      "1500ms  | 1500"})
  void aValidAnnotationIsTheRestoresTimeout(String value, long millis) {
    assertEquals(Optional.empty(), OutageTimeouts.validate(annotated(value)));
    assertEquals(Duration.ofMillis(millis), OutageTimeouts.of(annotated(value), DEFAULT));
  }

  @ParameterizedTest(name = "\"{0}\": {1}")
  @CsvSource(delimiter = '|', value = {
      "5         | Invalid annotation rebound.dev/outage-timeout: time: invalid duration \"5\"",
      "ten mins  | Invalid annotation rebound.dev/outage-timeout: time: invalid duration \"ten mins\"",
      "''        | Invalid annotation rebound.dev/outage-timeout: time: invalid duration \"\"",
      "0s        | Invalid annotation rebound.dev/outage-timeout: \"0s\" is not a positive duration",
      "-1m       | Invalid annotation rebound.dev/outage-timeout: \"-1m\" is not a positive duration"})
  void anInvalidAnnotationIsAValidationErrorAndNeverATimeout(String value, String error) {
    assertEquals(Optional.of(error), OutageTimeouts.validate(annotated(value)));
    assertEquals(DEFAULT, OutageTimeouts.of(annotated(value), DEFAULT));
  }

  @org.junit.jupiter.api.Test
  void withoutTheAnnotationTheDefaultApplies() {
    assertEquals(Optional.empty(), OutageTimeouts.validate(annotated(null)));
    assertEquals(DEFAULT, OutageTimeouts.of(annotated(null), DEFAULT));
  }
}
