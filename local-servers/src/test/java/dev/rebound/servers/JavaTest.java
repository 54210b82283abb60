package dev.rebound.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaTest {

  /** The services' default (C1 only) comes first, so that the property's options override it. */
  @Test
  void thePropertysOptionsComeAfterTheDefaultsAndOverrideThem() throws Exception {
    String before = System.getProperty(Java.OPTIONS_PROPERTY);
    System.setProperty(Java.OPTIONS_PROPERTY, " -XX:TieredStopAtLevel=4  -XX:+PrintFlagsFinal ");
    List<String> command;
    try {
      command = Java.command(List.of("-XX:TieredStopAtLevel=1"), "-version");
    } finally {
      if (before == null) {
        System.clearProperty(Java.OPTIONS_PROPERTY);
      } else {
        System.setProperty(Java.OPTIONS_PROPERTY, before);
      }
    }
    assertEquals(List.of(Java.executable(), "-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=4",
        "-XX:+PrintFlagsFinal", "-version"), command);
    // The JVM takes the last of the two.
    Process java = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    String flags = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, java.waitFor());
    String level = flags.lines().filter(l -> l.contains(" TieredStopAtLevel ")).findFirst().orElseThrow();
    assertEquals("4", level.trim().split("\\s+")[3], level);
  }
}
