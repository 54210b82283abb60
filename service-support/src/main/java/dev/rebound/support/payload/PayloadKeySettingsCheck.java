package dev.rebound.support.payload;

import dev.rebound.support.settings.SettingProblem;
import dev.rebound.support.settings.SettingsCheck;
import java.util.List;
import java.util.Optional;

/**
 * The services that write or read item tasks (the coordinator, the item-restorers) need
 * {@value #PROPERTY}: base64 of a 32-byte AES key, the same in every instance. Without a usable
 * key they take no work; the problem names the property, never the value.
 */
public final class PayloadKeySettingsCheck implements SettingsCheck {

  public static final String PROPERTY = "rebound.service.payload-key";

  private final Optional<String> key;

  public PayloadKeySettingsCheck(Optional<String> key) {
    this.key = key;
  }

  @Override
  public String name() {
    return "payload-key";
  }

  @Override
  public List<SettingProblem> check() {
    try {
      PayloadCipher.decodeKey(key.orElse(null));
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of(new SettingProblem(PROPERTY, e.getMessage()));
    }
  }
}
