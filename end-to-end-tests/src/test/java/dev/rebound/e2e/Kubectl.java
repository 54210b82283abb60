package dev.rebound.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kubectl as a user runs it ({@code KUBECTL} names another binary than the one on the PATH), against
 * one cluster: every command but {@code kustomize} gets the cluster's kubeconfig and a discovery
 * cache of the caller's naming (commands that must see CRDs installed since keep a cache apart).
 */
final class Kubectl {

  /** What kubectl printed and how it exited. */
  record Result(int exit, String out, String err) {}

  private final Path kubeconfig;
  private final Path work;
  private final Duration timeout;

  Kubectl(Path kubeconfig, Path work, Duration timeout) throws IOException {
    this.kubeconfig = kubeconfig;
    this.work = Files.createDirectories(work);
    this.timeout = timeout;
  }

  /** Runs kubectl and returns its standard output; fails the test with its standard error when it exits non-zero. */
  String run(String stdin, String cache, String... args) throws Exception {
    Result result = call(stdin, cache, args);
    if (result.exit() != 0) {
      fail("kubectl " + String.join(" ", args) + " exited " + result.exit() + ":\n" + result.err() + result.out());
    }
    return result.out();
  }

  /** Runs kubectl with {@code stdin} (null for none) and returns what it printed and its exit code. */
  Result call(String stdin, String cache, String... args) throws Exception {
    String kubectl = System.getenv().getOrDefault("KUBECTL", "kubectl");
    List<String> command = new ArrayList<>(List.of(kubectl));
    if (!args[0].equals("kustomize")) {
      command.add("--kubeconfig=" + kubeconfig);
      command.add("--cache-dir=" + work.resolve("kube-cache-" + cache));
    }
    command.addAll(List.of(args));
    Path in = Files.createTempFile(work, "stdin-", ".yaml");
    Path out = Files.createTempFile(work, "stdout-", ".txt");
    Path err = Files.createTempFile(work, "stderr-", ".txt");
    Files.writeString(in, stdin == null ? "" : stdin);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectInput(in.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + kubectl + " (kubectl 1.32 on the PATH, or set KUBECTL)", e);
    }
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " did not finish in " + timeout.toSeconds() + " s: " + Files.readString(err));
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
