package dev.rebound.statusreporter.api;

import dev.rebound.model.velero.Restore;
import dev.rebound.statusreporter.restores.RestoreBook;
import dev.rebound.statusreporter.restores.RestoreView;
import io.smallrye.mutiny.Multi;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The stream behind {@code GET /api/v1/restores/{name}/watch}. One shared timer thread looks at each
 * watched restore's version every {@value #PERIOD_MILLIS} ms (a counter compare: no thread, no lock
 * held per watcher) and emits the Restore when it changed; the stream ends after the restore ended.
 */
final class RestoreWatch {

  static final long PERIOD_MILLIS = 250;
  /** The version of an ended restore, whose summary no longer changes. */
  private static final long ENDED = Long.MIN_VALUE;

  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "rebound-restore-watch");
    t.setDaemon(true);
    return t;
  });

  private record State(long version, Restore restore) {}

  private RestoreWatch() {}

  static Multi<Restore> of(String name, RestoreBook book) {
    return Multi.createFrom().emitter(emitter -> {
      long[] sent = {Long.MAX_VALUE};
      boolean[] done = {false};
      ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
      Runnable look = () -> {
        synchronized (sent) {
          if (done[0]) {
            return;
          }
          try {
            Optional<State> state = state(name, book, sent[0]);
            if (state.isEmpty()) {
              done[0] = true; // gone (deleted)
              emitter.complete();
              return;
            }
            if (state.get().version() != sent[0]) {
              sent[0] = state.get().version();
              emitter.emit(state.get().restore());
            }
            if (state.get().version() == ENDED) {
              done[0] = true;
              emitter.complete();
            }
          } catch (RuntimeException e) {
            done[0] = true;
            emitter.fail(e);
          }
        }
      };
      task[0] = TIMER.scheduleAtFixedRate(look, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
      emitter.onTermination(() -> task[0].cancel(false));
    });
  }

  /**
   * The restore's state if its version is not {@code known} any more (the Restore is built only
   * then: most looks find nothing new), its version alone (restore null) if it is.
   */
  private static Optional<State> state(String name, RestoreBook book, long known) {
    Optional<State> running = book.read(name,
        (RestoreView v) -> new State(v.version(), v.version() == known ? null : v.restore()));
    return running.isPresent() ? running : book.summary(name).map(s -> new State(ENDED, s.restore()));
  }
}
