package dev.rebound.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The java binary of this JVM with the options for the servers and services started from it, and
 * the class paths recorded into this jar at build time.
 */
final class Java {

  /**
   * Extra JVM options, space-separated, for every Java process started here (Kafka, S3Proxy, the
   * services). The test build sets quick-start options (C1 only, the serial collector): those
   * processes live for seconds to minutes on two cores, where the optimizing compiler's threads
   * cost more than they give back. Unset for the local stack and the benchmarks.
   */
  static final String OPTIONS_PROPERTY = "rebound.local-servers.java-options";

  private Java() {}

  static String executable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The java binary followed by {@value #OPTIONS_PROPERTY}'s options, then {@code options}. */
  static List<String> command(String... options) {
    return command(List.of(), options);
  }

  /**
   * The java binary followed by {@code defaults}, then {@value #OPTIONS_PROPERTY}'s options (which
   * override the defaults: the last of two contradicting options wins), then {@code options}.
   */
  static List<String> command(List<String> defaults, String... options) {
    List<String> command = new ArrayList<>(List.of(executable()));
    command.addAll(defaults);
    for (String option : System.getProperty(OPTIONS_PROPERTY, "").trim().split("\\s+")) {
      if (!option.isEmpty()) {
        command.add(option);
      }
    }
    command.addAll(List.of(options));
    return command;
  }

  /** A class path written by the build (see this module's pom) as a resource of this package. */
  static String recordedClasspath(String resource) {
    try (InputStream in = Java.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "class path resource " + resource + " is missing: build local-servers with Maven first");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
