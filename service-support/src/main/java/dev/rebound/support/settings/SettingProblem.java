package dev.rebound.support.settings;

import java.util.Locale;

/**
 * One setting that is wrong: the property (as written in {@code application.properties}) and what
 * is wrong with it, naming the value or path at fault but never a secret's value.
 */
public record SettingProblem(String property, String problem) {

  /** The environment variable that sets {@code property}, by MicroProfile Config's rule. */
  public String envVar() {
    return envVar(property);
  }

  /**
   * MicroProfile Config's mapping of a property to an environment variable: every character
   * other than a letter or a digit becomes {@code _}, then upper case.
   */
  public static String envVar(String property) {
    return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }

  /** What the log and the readiness check say: {@code <property> (<ENV_VAR>): <problem>}. */
  @Override
  public String toString() {
    return property + " (" + envVar() + "): " + problem;
  }
}
