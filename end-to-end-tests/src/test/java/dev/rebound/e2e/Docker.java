package dev.rebound.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's docker client, for what a test checks the way a user would (what is left, what runs). */
final class Docker {

  private static final String CLIENT = "/usr/bin/docker";

  private Docker() {}

  /** Runs {@code docker ARGS...} and returns its standard output; fails with its output otherwise. */
  static String run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(CLIENT));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(command + " did not finish in 120 s");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(command + " exited " + p.exitValue() + ": " + text);
    }
    return text;
  }
}
