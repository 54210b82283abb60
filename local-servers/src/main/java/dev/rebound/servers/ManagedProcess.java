package dev.rebound.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A server run as a child process, its output kept in a log file. The process is started under a
 * small shell guard that stops it when this JVM dies, even by SIGKILL, so no test run or local
 * stack leaves servers behind.
 */
public final class ManagedProcess implements AutoCloseable {

  /**
   * Runs "$@" in the background, forwards TERM/INT to it, and stops it when the watched PID (our
   * JVM) is gone: TERM first, KILL after 15 s. Exits with the child's status.
   */
  private static final String GUARD =
      """
      watched=$1; shift
      "$@" &
      child=$!
      stop() {
        kill -TERM "$child" 2>/dev/null
        i=0
        while kill -0 "$child" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.1; i=$((i+1)); done
        kill -KILL "$child" 2>/dev/null
      }
      trap 'stop; wait "$child"; exit $?' TERM INT
      while kill -0 "$watched" 2>/dev/null && kill -0 "$child" 2>/dev/null; do
        sleep 1 & wait $!
      done
      kill -0 "$child" 2>/dev/null && stop
      wait "$child"
      """;

  private final String name;
  private final Process process;
  private final Path log;

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} in {@code workDir}, appending its stdout and stderr to {@code log}. */
  public static ManagedProcess start(
      String name, List<String> command, Path workDir, Path log, Map<String, String> env)
      throws IOException {
    Files.createDirectories(workDir);
    Files.createDirectories(log.getParent());
    List<String> guarded = new ArrayList<>(List.of("/bin/sh", "-c", GUARD, "guard"));
    guarded.add(Long.toString(ProcessHandle.current().pid()));
    guarded.addAll(command);
    ProcessBuilder pb =
        new ProcessBuilder(guarded)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(env);
    return new ManagedProcess(name, pb.start(), log);
  }

  /** Runs a short command to completion; fails with its output if it exits non-zero. */
  public static void runToCompletion(
      String name, List<String> command, Path workDir, Path log, Duration timeout)
      throws IOException {
    try (ManagedProcess p = start(name, command, workDir, log, Map.of())) {
      if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IOException(name + " did not finish within " + timeout + "; see " + log);
      }
      if (p.process.exitValue() != 0) {
        throw new IOException(
            name + " exited with " + p.process.exitValue() + ": " + p.tail(20) + " (log " + log + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + name, e);
    }
  }

  /**
   * Waits until {@code ready} holds, polling every 100 ms; fails early with the log's tail if the
   * process exits first.
   */
  public void awaitReady(BooleanSupplier ready, Duration timeout) throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException(
            name + " exited with " + process.exitValue() + " before it was ready: " + tail(30)
                + " (log " + log + ")");
      }
      if (ready.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + name, e);
      }
    }
    throw new IOException(name + " was not ready within " + timeout + ": " + tail(30) + " (log " + log + ")");
  }

  /** Whether the log so far contains {@code text}; used for servers that announce readiness. */
  public boolean logContains(String text) {
    try {
      return Files.exists(log) && Files.readString(log).contains(text);
    } catch (IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * PIDs of the guard and of the server under it (with the server's own children), for a stack that
   * must be stopped from outside. The guard's one-second {@code sleep} is left out: it comes and goes
   * every second, so a caller checking these PIDs later would find it gone without anything having
   * stopped.
   */
  public List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    pids.add(process.pid());
    process.children().filter(child -> !guardSleep(child)).forEach(child -> {
      pids.add(child.pid());
      child.descendants().forEach(h -> pids.add(h.pid()));
    });
    return pids;
  }

  /** The guard's own {@code sleep 1}, or a child already gone (nothing left to read of it). */
  private static boolean guardSleep(ProcessHandle child) {
    ProcessHandle.Info info = child.info();
    return info.command().map(c -> c.endsWith("/sleep")).orElse(true)
        && info.arguments().map(a -> List.of(a).equals(List.of("1"))).orElse(true);
  }

  /**
   * Kills the server under the guard with SIGKILL, as a crash or the OOM killer would: no shutdown
   * hook runs, nothing is flushed or committed. Returns once it is gone.
   */
  public void kill() {
    List<ProcessHandle> servers = process.descendants().toList();
    servers.forEach(ProcessHandle::destroyForcibly);
    servers.forEach(h -> h.onExit().join());
  }

  /**
   * Stops the server: TERM, then KILL for anything still running after 20 s (the guard's, and then
   * any process the server left behind); returns once they are gone.
   */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<ProcessHandle> left = all.stream().filter(ProcessHandle::isAlive).toList();
    left.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle h : left) {
      try {
        h.onExit().get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // SIGKILL cannot be refused; a process not reaped within 5 s is its parent's to reap.
      }
    }
  }

  private String tail(int lines) {
    try {
      List<String> all = Files.exists(log) ? Files.readAllLines(log) : List.of();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }
}
