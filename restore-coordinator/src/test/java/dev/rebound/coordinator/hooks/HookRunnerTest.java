package dev.rebound.coordinator.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.Json;
import dev.rebound.model.pipeline.ExecHook;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.testsupport.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/** Reference 3.13: waiting, execution order, error modes and accounting of a pod's exec hooks. */
class HookRunnerTest {

  private static final ItemKey POD = new ItemKey("v1/Pod", "shop", "db-0");

  /** A pod whose state is a function of the time waited (seconds); records the commands run. */
  private static final class FakePod implements HookRunner.PodApi {
    final ManualClock clock;
    final LongFunction<String> stateAt;
    final List<String> executed = new ArrayList<>();
    final List<String> failing;

    FakePod(ManualClock clock, LongFunction<String> stateAt, List<String> failing) {
      this.clock = clock;
      this.stateAt = stateAt;
      this.failing = failing;
    }

    @Override
    public JsonNode get(String namespace, String name) {
      String state = stateAt.apply(clock.seconds());
      if ("unavailable".equals(state)) {
        throw new IllegalStateException("503 Service Unavailable");
      }
      if (state == null) {
        return null;
      }
      try {
        return Json.mapper().readTree(("{'spec':{'containers':[{'name':'db'},{'name':'sidecar'}]},'status':" + state
            + "}").replace('\'', '"'));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public HookRunner.Output exec(String namespace, String pod, String container, List<String> command,
        long timeoutMillis) throws HookRunner.HookFailure {
      executed.add(container + ":" + String.join(" ", command) + "@" + timeoutMillis);
      if (failing.contains(command.get(0))) {
        throw new HookRunner.HookFailure("command terminated with exit code 1",
            new HookRunner.Output("", command.get(0) + ": failed\n"));
      }
      return new HookRunner.Output(command.get(0) + " ran\n", "");
    }
  }

  private static final String PENDING = "{'phase':'Pending'}";
  private static final String RUNNING = "{'phase':'Running','containerStatuses':[{'name':'db','ready':false,"
      + "'state':{'running':{}}},{'name':'sidecar','ready':true,'state':{'running':{}}}]}";

  private static ExecHook hook(String name, String container, String command, String onError, long waitMillis,
      boolean ready) {
    return new ExecHook(name, "spec", 0, container, List.of(command), onError, 0, waitMillis, ready);
  }

  private static HookRunner.Outcome run(FakePod pod, List<ExecHook> hooks, boolean cancelled) throws Exception {
    HookRunner runner = new HookRunner(pod, pod.clock, Duration.ofSeconds(1), pod.clock::advance);
    return runner.run(POD, hooks, () -> cancelled);
  }

  @Test
  void hooksRunInOrderOnceTheirContainerRunsWithVelerosDefaultExecTimeout() throws Exception {
    FakePod pod = new FakePod(new ManualClock(Instant.parse("2026-11-22T10:00:00Z")), t -> t < 3 ? PENDING : RUNNING, List.of());
    HookRunner.Outcome out = run(pod, List.of(hook("a", "db", "first", "", 0, false),
        hook("b", "db", "second", "", 0, false)), false);
    assertEquals(List.of("db:first@30000", "db:second@30000"), pod.executed);
    assertEquals(new HookRunner.Outcome(2, 0, List.of(), out.log()), out);
  }

  @Test
  void waitForReadyWaitsForTheReadyFlag() throws Exception {
    // db runs but never becomes Ready: with waitForReady its hook never runs.
    FakePod pod = new FakePod(new ManualClock(Instant.parse("2026-11-22T10:00:00Z")), t -> RUNNING, List.of());
    HookRunner.Outcome out = run(pod, List.of(hook("a", "db", "x", "", 5_000, true),
        hook("b", "sidecar", "y", "", 5_000, true)), false);
    assertEquals(List.of("sidecar:y@30000"), pod.executed);
    assertEquals(List.of("hook a in container db in pod shop/db-0 not executed: context deadline exceeded"),
        out.errors());
    assertEquals(2, out.attempted());
    assertEquals(1, out.failed());
  }

  @Test
  void aContainerThatNeverRunsFailsItsHooksAfterTheLongestWait() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:00:00Z"));
    FakePod pod = new FakePod(clock, t -> PENDING, List.of());
    HookRunner.Outcome out = run(pod, List.of(hook("a", "db", "x", "", 2_000, false),
        hook("b", "db", "y", "Fail", 4_000, false)), false);
    assertEquals(List.of(), pod.executed);
    assertEquals(List.of("hook a in container db in pod shop/db-0 not executed: context deadline exceeded",
        "hook b in container db in pod shop/db-0 not executed: context deadline exceeded"), out.errors());
    assertEquals(5, clock.seconds(), "the longest wait timeout, then one more look");
  }

  @Test
  void aHookWhoseOwnWaitExpiredFailsButStillRunsUnlessItsModeIsFail() throws Exception {
    FakePod pod = new FakePod(new ManualClock(Instant.parse("2026-11-22T10:00:00Z")), t -> t < 3 ? PENDING : RUNNING, List.of());
    HookRunner.Outcome out = run(pod, List.of(hook("short", "db", "a", "Continue", 1_000, false),
        hook("long", "db", "b", "", 10_000, false)), false);
    assertEquals(List.of("db:a@30000", "db:b@30000"), pod.executed);
    assertEquals(List.of("hook short in container db expired before executing"), out.errors());
    assertEquals(1, out.failed());

    FakePod stopping = new FakePod(new ManualClock(Instant.parse("2026-11-22T10:00:00Z")), t -> t < 3 ? PENDING : RUNNING, List.of());
    HookRunner.Outcome stopped = run(stopping, List.of(hook("short", "db", "a", "Fail", 1_000, false),
        hook("long", "db", "b", "", 10_000, false)), false);
    assertEquals(List.of(), stopping.executed);
    assertEquals(List.of("hook short in container db expired before executing",
        "hook long in container db in pod shop/db-0 not executed: context canceled"), stopped.errors());
  }

  @Test
  void aFailingHookWithModeFailStopsThePodsOtherHooks() throws Exception {
    FakePod pod = new FakePod(new ManualClock(Instant.parse("2026-11-22T10:00:00Z")), t -> RUNNING, List.of("broken"));
    HookRunner.Outcome out = run(pod, List.of(hook("a", "db", "broken", "Fail", 0, false),
        hook("b", "db", "after", "", 0, false), hook("c", "sidecar", "other", "", 0, false)), false);
    assertEquals(List.of("db:broken@30000"), pod.executed);
    assertEquals(List.of("hook a in container db failed to execute, err: command terminated with exit code 1",
        "hook b in container db in pod shop/db-0 not executed: context canceled",
        "hook c in container sidecar in pod shop/db-0 not executed: context canceled"), out.errors());
    assertEquals(3, out.attempted());
    assertEquals(3, out.failed());
  }

  @Test
  void aFailingHookWithModeContinueLetsTheOthersRun() throws Exception {
    FakePod pod = new FakePod(new ManualClock(Instant.parse("2026-11-22T10:00:00Z")), t -> RUNNING, List.of("broken"));
    HookRunner.Outcome out = run(pod, List.of(hook("a", "db", "broken", "Continue", 0, false),
        hook("b", "db", "after", "", 0, false)), false);
    assertEquals(List.of("db:broken@30000", "db:after@30000"), pod.executed);
    assertEquals(1, out.failed());
  }

  @Test
  void hooksForAMissingContainerAreDiscarded() throws Exception {
    FakePod pod = new FakePod(new ManualClock(Instant.parse("2026-11-22T10:00:00Z")), t -> RUNNING, List.of());
    HookRunner.Outcome out = run(pod, List.of(hook("a", "nope", "x", "", 0, false)), false);
    assertEquals(new HookRunner.Outcome(0, 0, List.of(),
        List.of("warning: Pod shop/db-0 does not have container nope: discarding post-restore exec hooks")), out);
  }

  @Test
  void aPodThatEndsOrGoesOrACancelledRestoreLeavesItsHooksNotExecuted() throws Exception {
    FakePod ended = new FakePod(new ManualClock(Instant.parse("2026-11-22T10:00:00Z")), t -> t < 2 ? PENDING : "{'phase':'Succeeded'}", List.of());
    assertEquals(List.of("hook a in container db in pod shop/db-0 not executed: context canceled"),
        run(ended, List.of(hook("a", "db", "x", "", 0, false)), false).errors());
    FakePod deleted = new FakePod(new ManualClock(Instant.parse("2026-11-22T10:00:00Z")), t -> t < 2 ? PENDING : null, List.of());
    assertEquals(List.of("hook a in container db in pod shop/db-0 not executed: context canceled"),
        run(deleted, List.of(hook("a", "db", "x", "", 0, false)), false).errors());
    FakePod running = new FakePod(new ManualClock(Instant.parse("2026-11-22T10:00:00Z")), t -> RUNNING, List.of());
    assertEquals(List.of("hook a in container db in pod shop/db-0 not executed: context canceled"),
        run(running, List.of(hook("a", "db", "x", "", 0, false)), true).errors());
    assertEquals(List.of(), running.executed);
  }

  @Test
  void eachHookIsRecordedBeforeItsCommandIsSentAndHooksStartedBeforeAreNotRunAgain() throws Exception {
    FakePod pod = new FakePod(new ManualClock(Instant.parse("2026-11-22T10:00:00Z")), t -> RUNNING, List.of());
    List<String> order = new ArrayList<>();
    HookRunner.Intent intent = hook -> {
      order.add("recorded " + hook.name() + " after " + pod.executed.size() + " commands");
      return true;
    };
    HookRunner runner = new HookRunner(pod, pod.clock, Duration.ofSeconds(1), pod.clock::advance);
    HookRunner.Outcome outcome = runner.run(POD, List.of(hook("first", "db", "one", "Continue", 0, false),
        hook("second", "db", "two", "Continue", 0, false)), () -> false,
        java.util.Set.of(HookRunner.id("db", "first")), intent);
    assertEquals(List.of("recorded second after 0 commands"), order);
    assertEquals(List.of("db:two@30000"), pod.executed);
    assertEquals(2, outcome.attempted());
    assertEquals(0, outcome.failed());
    assertEquals(List.of(), outcome.errors());
    assertEquals(1, outcome.log().stream().filter(l -> l.equals("warning: hook first in container db of pod shop/db-0 "
        + "was started by a coordinator that stopped before it reported; it is not run again and its outcome is "
        + "unknown")).count(), outcome.log().toString());
  }

  @Test
  void anInstanceThatNoLongerDrivesTheRestoreRunsNoFurtherHookAndReportsNothing() throws Exception {
    FakePod pod = new FakePod(new ManualClock(Instant.parse("2026-11-22T10:00:00Z")), t -> RUNNING, List.of());
    HookRunner runner = new HookRunner(pod, pod.clock, Duration.ofSeconds(1), pod.clock::advance);
    int[] recorded = {0};
    HookRunner.Outcome outcome = runner.run(POD, List.of(hook("first", "db", "one", "Continue", 0, false),
        hook("second", "db", "two", "Continue", 0, false)), () -> false, java.util.Set.of(),
        hook -> recorded[0]++ == 0);
    assertEquals(null, outcome);
    assertEquals(List.of("db:one@30000"), pod.executed, "the second hook was not recorded, so it did not run");

    FakePod waiting = new FakePod(new ManualClock(Instant.parse("2026-11-22T10:00:00Z")), t -> PENDING, List.of());
    HookRunner waitingRunner = new HookRunner(waiting, waiting.clock, Duration.ofSeconds(1), waiting.clock::advance);
    HookRunner.Outcome released = waitingRunner.run(POD, List.of(hook("first", "db", "one", "Continue", 0, false)),
        () -> false, java.util.Set.of(), new HookRunner.Intent() {
          @Override
          public boolean starting(ExecHook hook) {
            return true;
          }

          @Override
          public boolean stopped() {
            return waiting.clock.seconds() >= 5;
          }
        });
    assertEquals(null, released, "a wait for the container ends when the restore moves to another instance");
    assertEquals(List.of(), waiting.executed);
  }

  @Test
  void anExpiredHookWhoseCommandAlsoFailsCountsOnce() throws Exception {
    FakePod pod = new FakePod(new ManualClock(Instant.parse("2026-11-22T10:00:00Z")), t -> t < 3 ? PENDING : RUNNING, List.of("broken"));
    HookRunner.Outcome out = run(pod, List.of(hook("short", "db", "broken", "Continue", 1_000, false),
        hook("long", "db", "ok", "", 10_000, false)), false);
    assertEquals(List.of("db:broken@30000", "db:ok@30000"), pod.executed);
    assertEquals(List.of("hook short in container db expired before executing"), out.errors());
    assertEquals(1, out.failed());
  }

  @Test
  void anApiServerThatCannotAnswerForAMomentIsAskedAgain() throws Exception {
    FakePod pod = new FakePod(new ManualClock(Instant.parse("2026-11-22T10:00:00Z")), t -> t == 0 || t == 2 ? "unavailable" : t < 4 ? PENDING : RUNNING,
        List.of());
    HookRunner.Outcome out = run(pod, List.of(hook("a", "db", "x", "", 0, false)), false);
    assertEquals(List.of("db:x@30000"), pod.executed);
    assertEquals(new HookRunner.Outcome(1, 0, List.of(), out.log()), out);
  }
}
