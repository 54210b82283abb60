package dev.rebound.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs a benchmark and ends the JVM: the Kubernetes clients' shared Vert.x event loops (and other
 * client libraries' threads) are not daemon threads and outlive every client, so without an
 * explicit exit a benchmark would print its table and never end. The benchmark's working
 * directory (servers' data and logs, often hundreds of MB) is removed at the end, unless
 * {@code -Drebound.bench.keep=true} keeps it (for the services' logs, or JFR recordings asked for
 * with {@code -Drebound.local-servers.java-options}).
 */
final class Exiting {

  private static final List<Path> DIRECTORIES = new ArrayList<>();

  /** A benchmark's body. */
  interface Body {
    void run(String[] args) throws Exception;
  }

  private Exiting() {}

  /** A new working directory for the benchmark's servers, removed when {@link #run} ends. */
  static synchronized Path workDirectory(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    DIRECTORIES.add(dir);
    return dir;
  }

  /** Runs {@code body}, then exits with 0, or 1 after printing what it threw. */
  static void run(Body body, String[] args) {
    int status = 0;
    try {
      body.run(args);
    } catch (Exception | Error e) {
      e.printStackTrace();
      status = 1;
    }
    removeWorkDirectories();
    System.exit(status);
  }

  private static synchronized void removeWorkDirectories() {
    for (Path dir : DIRECTORIES) {
      if (Boolean.getBoolean("rebound.bench.keep")) {
        System.out.println("Kept " + dir);
        continue;
      }
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        System.err.println("Could not remove " + dir + ": " + e);
      }
    }
  }
}
