package dev.rebound.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The java binary of this JVM, and the class paths recorded into this jar at build time. */
final class Java {

  private Java() {}

  static String executable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
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
