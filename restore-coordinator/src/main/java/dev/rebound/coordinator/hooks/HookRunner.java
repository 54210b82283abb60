package dev.rebound.coordinator.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.pipeline.ClusterFold;
import dev.rebound.model.pipeline.ExecHook;
import dev.rebound.model.pipeline.ItemKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Runs one restored pod's post-restore exec hooks as Velero's {@code HandleHooks} does (reference
 * 3.13): hooks for a container the pod does not have are discarded; the others wait for their
 * container to be running (or Ready, when one of its hooks asks), up to the longest wait timeout of
 * the pod's hooks, or without end when one has none; then a container's hooks run in order. A hook
 * whose own wait timeout passed before its turn fails as "expired" and, unless its error mode is
 * {@code Fail}, still runs. A failure with {@code onError: Fail} stops the pod's other hooks. The
 * pod ending, disappearing, or the restore's hooks being cancelled (another pod's hook failed)
 * ends the wait; every hook not run then fails as "not executed".
 */
public final class HookRunner {

  /** Velero's exec timeout when a hook sets none. */
  static final long DEFAULT_EXEC_TIMEOUT_MILLIS = 30_000;

  /** The pod reads and the exec call, against the target cluster's API server. */
  public interface PodApi {
    /** The pod as the API server has it, or null when it does not exist. */
    JsonNode get(String namespace, String name);

    /**
     * Runs {@code command} in the container through the API server's exec subresource.
     *
     * @return what the command printed
     * @throws HookFailure with the reason (non-zero exit, timeout, refused), and the output when it ran
     */
    Output exec(String namespace, String pod, String container, List<String> command, long timeoutMillis)
        throws HookFailure;
  }

  /** What a hook's command printed on its standard output and standard error. */
  public record Output(String stdout, String stderr) {
    public static final Output NONE = new Output("", "");
  }

  /** Why a hook's command failed. */
  public static final class HookFailure extends Exception {
    private final transient Output output;

    public HookFailure(String message) {
      this(message, null);
    }

    /** @param output what the command printed before it failed; null when it never ran to an end */
    public HookFailure(String message, Output output) {
      super(message);
      this.output = output;
    }

    public Output output() {
      return output;
    }
  }

  /** What running one pod's hooks gave. */
  public record Outcome(int attempted, int failed, List<String> errors, List<String> log) {}

  /** Pauses between two looks at the pod; tests pass one that does not sleep. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final PodApi api;
  private final Clock clock;
  private final Duration pollInterval;
  private final Sleeper sleeper;

  public HookRunner(PodApi api, Clock clock, Duration pollInterval, Sleeper sleeper) {
    this.api = api;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.sleeper = sleeper;
  }

  private static final class Pending {
    final ExecHook hook;
    boolean executed;

    Pending(ExecHook hook) {
      this.hook = hook;
    }
  }

  /**
   * The running instance's hold on the restore: it records each hook before running it, and lets go
   * when another instance takes the restore over.
   */
  public interface Intent {
    /**
     * Records that a hook is about to run, before its command is sent, and returns once the record
     * is durable, so whoever takes the restore over never runs it again.
     *
     * @return false when this instance no longer drives the restore: the hook is not run
     */
    boolean starting(ExecHook hook) throws InterruptedException;

    /** True once this instance no longer drives the restore: the run ends without an outcome. */
    default boolean stopped() {
      return false;
    }
  }

  /** Runs the hooks for one driver, which never loses the restore. */
  private static final Intent UNRECORDED = hook -> true;

  /**
   * Identifies a hook among a pod's, as {@link Intent} records it: the name the log's fold gives a
   * started hook ({@link ClusterFold#hookId}), so a hook started before is recognised.
   */
  public static String id(String container, String hook) {
    return ClusterFold.hookId(container, hook);
  }

  /** Runs every hook of the pod, recording nothing before each: for a pod no one ran hooks for. */
  public Outcome run(ItemKey pod, List<ExecHook> hooks, BooleanSupplier cancelled) throws InterruptedException {
    return run(pod, hooks, cancelled, Set.of(), UNRECORDED);
  }

  /**
   * @param cancelled true once the restore's hooks are cancelled (another pod's hooks failed)
   * @param startedBefore the {@link #id}s of hooks a previous run started (their intent is on
   *     record): they are not run again, and their outcome is unknown
   * @param intent called before each hook's command is sent
   * @return null when the run stopped because this instance no longer drives the restore
   */
  public Outcome run(ItemKey pod, List<ExecHook> hooks, BooleanSupplier cancelled, Set<String> startedBefore,
      Intent intent) throws InterruptedException {
    String ns = pod.namespace();
    String name = pod.name();
    List<String> errors = new ArrayList<>();
    List<String> log = new ArrayList<>();
    JsonNode current = look(ns, name, null, log);
    Set<String> containers = new HashSet<>();
    if (current != null) {
      current.path("spec").path("containers").forEach(c -> containers.add(c.path("name").asText()));
    }
    Map<String, List<Pending>> byContainer = new LinkedHashMap<>();
    for (ExecHook hook : hooks) {
      if (current != null && current != UNKNOWN && !containers.contains(hook.container())) {
        log.add("warning: Pod " + ns + "/" + name + " does not have container " + hook.container()
            + ": discarding post-restore exec hooks");
        continue;
      }
      byContainer.computeIfAbsent(hook.container(), k -> new ArrayList<>()).add(new Pending(hook));
    }
    int attempted = byContainer.values().stream().mapToInt(List::size).sum();
    if (attempted == 0) {
      return new Outcome(0, 0, errors, log);
    }
    long maxWait = 0;
    for (List<Pending> list : byContainer.values()) {
      for (Pending p : list) {
        if (p.hook.waitTimeoutMillis() <= 0) {
          maxWait = -1;
          break;
        }
        maxWait = Math.max(maxWait, p.hook.waitTimeoutMillis());
      }
      if (maxWait < 0) {
        break;
      }
    }
    Instant start = clock.instant();
    String ended = null;
    int failed = 0;
    outer:
    while (!byContainer.isEmpty()) {
      if (intent.stopped()) {
        return null;
      }
      if (cancelled.getAsBoolean()) {
        ended = "context canceled";
        break;
      }
      if (maxWait > 0 && Duration.between(start, clock.instant()).toMillis() > maxWait) {
        ended = "context deadline exceeded";
        break;
      }
      if (current == null) {
        log.add("error: pod " + ns + "/" + name + " deleted before all hooks were executed");
        ended = "context canceled";
        break;
      }
      String phase = current.path("status").path("phase").asText("");
      if (phase.equals("Succeeded") || phase.equals("Failed")) {
        log.add("warning: pod entered phase " + phase + " before some post-restore exec hooks ran");
        ended = "context canceled";
        break;
      }
      for (var it = byContainer.entrySet().iterator(); it.hasNext(); ) {
        var entry = it.next();
        if (!containerUp(current, entry.getKey(), entry.getValue())) {
          continue;
        }
        for (Pending p : entry.getValue()) {
          p.executed = true;
          ExecHook hook = p.hook;
          if (startedBefore.contains(id(hook.container(), hook.name()))) {
            log.add("warning: hook " + hook.name() + " in container " + hook.container() + " of pod " + ns + "/"
                + name + " was started by a coordinator that stopped before it reported; it is not run again "
                + "and its outcome is unknown");
            continue;
          }
          long waited = Duration.between(start, clock.instant()).toMillis();
          boolean expired = hook.waitTimeoutMillis() != 0 && waited > hook.waitTimeoutMillis();
          if (expired) {
            errors.add("hook " + hook.name() + " in container " + hook.container() + " expired before executing");
            failed++;
            if (hook.failStops()) {
              ended = "context canceled";
              break outer;
            }
          }
          try {
            // As Velero's pod command executor logs it: the hook, then what it printed (even when
            // its exit code is not 0; not when it timed out).
            log.add("running exec hook " + hook.name() + " in container " + hook.container() + " of pod " + ns + "/"
                + name + ": " + hook.command());
            if (!intent.starting(hook)) {
              return null;
            }
            Output output = api.exec(ns, name, hook.container(), hook.command(),
                hook.execTimeoutMillis() > 0 ? hook.execTimeoutMillis() : DEFAULT_EXEC_TIMEOUT_MILLIS);
            logOutput(log, output);
            log.add("hook " + hook.name() + " in container " + hook.container() + " of pod " + ns + "/" + name
                + " executed");
          } catch (HookFailure e) {
            if (e.output() != null) {
              logOutput(log, e.output());
            }
            String error = "hook " + hook.name() + " in container " + hook.container() + " failed to execute, err: "
                + e.getMessage();
            if (expired) {
              // Velero's tracker keeps a hook's first record: the expiry is its result.
              log.add("error: " + error);
              continue;
            }
            errors.add(error);
            failed++;
            if (hook.failStops()) {
              ended = "context canceled";
              break outer;
            }
          }
        }
        it.remove();
      }
      if (byContainer.isEmpty()) {
        break;
      }
      sleeper.sleep(pollInterval);
      current = look(ns, name, current, log);
    }
    for (List<Pending> list : byContainer.values()) {
      for (Pending p : list) {
        if (!p.executed) {
          errors.add("hook " + p.hook.name() + " in container " + p.hook.container() + " in pod " + ns + "/" + name
              + " not executed: " + ended);
          failed++;
        }
      }
    }
    errors.forEach(e -> log.add("error: " + e));
    return new Outcome(attempted, failed, errors, log);
  }

  /**
   * The pod now; when the API server cannot answer (a 5xx, a lost connection), the last state seen,
   * as Velero's informer keeps its cache and retries the watch.
   */
  private static void logOutput(List<String> log, Output output) {
    log.add("stdout: " + output.stdout());
    log.add("stderr: " + output.stderr());
  }

  private JsonNode look(String ns, String name, JsonNode last, List<String> log) {
    try {
      return api.get(ns, name);
    } catch (RuntimeException e) {
      log.add("warning: cannot read pod " + ns + "/" + name + " (" + e.getMessage() + "); looking again");
      return last == null ? UNKNOWN : last;
    }
  }

  /** A pod not read yet: no container is up, nothing ended. */
  private static final JsonNode UNKNOWN = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();

  /** Velero's {@code isContainerUp}: running, or Ready when one of its hooks waits for readiness. */
  static boolean containerUp(JsonNode pod, String container, List<Pending> hooks) {
    boolean ready = hooks.stream().anyMatch(p -> p.hook.waitForReady());
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      if (status.path("name").asText().equals(container)) {
        return ready ? status.path("ready").asBoolean(false) : status.path("state").path("running").isObject();
      }
    }
    return false;
  }
}
