package dev.rebound.support.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rebound.support.settings.SettingProblem;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PayloadKeySettingsCheckTest {

  @Test
  void aMissingKeyIsNamedWithItsEnvironmentVariable() {
    List<SettingProblem> problems = new PayloadKeySettingsCheck(Optional.empty()).check();
    assertEquals(List.of(new SettingProblem("rebound.service.payload-key", "is not set")), problems);
    assertEquals("rebound.service.payload-key (REBOUND_SERVICE_PAYLOAD_KEY): is not set", problems.get(0).toString());
  }

  @Test
  void aShortKeyIsNamedWithItsLengthNotItsValue() {
    String key = "c2hvcnQta2V5";
    List<SettingProblem> problems = new PayloadKeySettingsCheck(Optional.of(key)).check();
    assertEquals("is base64 of 9 bytes, but the key is 32 bytes (for example: head -c 32 /dev/urandom | base64)",
        problems.get(0).problem());
  }

  @Test
  void aKeyOf32BytesPasses() {
    assertEquals(List.of(), new PayloadKeySettingsCheck(Optional.of(PayloadCipher.randomKey())).check());
  }
}
