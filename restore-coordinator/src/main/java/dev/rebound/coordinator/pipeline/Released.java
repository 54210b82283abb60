package dev.rebound.coordinator.pipeline;

/**
 * A restore run this coordinator no longer drives: another owns its partition of the restore log
 * now (DESIGN, "Ownership"). A step of the run checks it before each append and stops without a
 * trace in the log.
 */
final class Released {

  /** Thrown by {@link #check}: the step stops; the run's new owner does the rest. */
  static final class Step extends RuntimeException {
    Step() {
      super(null, null, false, false);
    }
  }

  private Released() {}

  static void check(RestoreRun run, RestoreRun.ClusterRun c) {
    synchronized (run) {
      if (!c.driven) {
        throw new Step();
      }
    }
  }
}
