package dev.rebound.model.velero;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Reference 3.6 step 12: Velero's label.GetValidName. */
class LabelsTest {

  @Test
  void valuesUpTo63CharactersAreKept() {
    String v63 = "a".repeat(63);
    assertEquals(v63, Labels.validValue(v63));
    assertEquals("nginx-backup", Labels.validValue("nginx-backup"));
  }

  @Test
  void longerValuesBecome57CharactersAndSixHexOfTheirSha256() {
    // Expected value computed independently with Python's hashlib.
    assertEquals("wordpress-production-daily-backup-schedule-202611210200002f0380",
        Labels.validValue("wordpress-production-daily-backup-schedule-20261121020000-restore-dr"));
  }
}
