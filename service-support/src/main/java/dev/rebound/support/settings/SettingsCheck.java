package dev.rebound.support.settings;

import java.util.List;

/**
 * Validates settings a service cannot work without. {@link ServiceSettings} runs every bean of
 * this type at start and again until they all pass; a service takes no work while one fails.
 */
public interface SettingsCheck {

  /** A short name for the log and the readiness data, for example {@code kafka}. */
  String name();

  /** The problems found now; empty when the settings are usable. Must not throw. */
  List<SettingProblem> check();
}
