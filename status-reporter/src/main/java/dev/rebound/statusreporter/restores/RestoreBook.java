package dev.rebound.statusreporter.restores;

import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.support.events.RestoreLogReader;
import dev.rebound.support.settings.ServiceSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every restore, folded from the restore log, which it reads from the start at each start of
 * the process (so a restarted status-reporter reports exactly what it reported before).
 */
@ApplicationScoped
public class RestoreBook implements RestoreLogReader.Handler {

  private final Map<String, RestoreView> restores = new ConcurrentHashMap<>();
  private final RestoreMetrics metrics;
  private final RestoreFiles files;
  private final String bootstrapServers;
  private volatile boolean historyRead;
  private RestoreLogReader reader;

  private final ServiceSettings settings;

  RestoreBook(RestoreMetrics metrics, RestoreFiles files,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, ServiceSettings settings) {
    this.settings = settings;
    this.metrics = metrics;
    this.files = files;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Reads the log only once every setting is valid: until then the API answers 503 (no restore is
   * accepted) and no restore's files are written to a bucket that cannot take them.
   */
  void start(@Observes StartupEvent event) {
    reader = new RestoreLogReader(bootstrapServers, "status-reporter", this);
    settings.onceValid(reader::start);
  }

  void stop(@Observes ShutdownEvent event) {
    if (reader != null) {
      reader.close();
    }
  }

  @Override
  public void event(RestoreEvent event, RestoreLogReader.Position position) {
    if (event instanceof RestoreEvent.Submitted submitted) {
      // The API inserts its own submissions at once; the first submission of a name wins.
      reserve(submitted);
      return;
    }
    RestoreView view = restores.get(event.restore());
    if (view == null) {
      return;
    }
    synchronized (view) {
      boolean started = view.phase() != RestorePhase.NEW;
      int recordedBefore = view.recordedCount();
      RestorePhase ended = view.apply(event);
      if (!started && view.phase() != RestorePhase.NEW) {
        metrics.attempted(view.schedule());
      }
      if (event instanceof RestoreEvent.ItemRestored result && view.recordedCount() > recordedBefore) {
        metrics.items(result.action());
      }
      if (ended != null) {
        metrics.ended(view.schedule(), ended, view.start(), view.completion());
        metrics.notInProgress(view.name());
      } else if (event instanceof RestoreEvent.Planned && !view.phase().isTerminal() && view.start() != null) {
        metrics.inProgress(view.name(), view.schedule(), view.start());
      }
      if (historyRead && view.awaitingFiles()) {
        files.store(view.files());
      }
    }
  }

  /**
   * The history is read: metrics show, and restores that ended while no status-reporter stored
   * their files (or before it recorded doing so) get them stored now.
   */
  @Override
  public void caughtUp() {
    historyRead = true;
    metrics.bind();
    for (RestoreView view : restores.values()) {
      synchronized (view) {
        if (view.awaitingFiles()) {
          files.store(view.files());
        }
      }
    }
  }

  public boolean historyRead() {
    return historyRead;
  }

  /** Records a submission the API just appended, so it shows (and its name is taken) at once. */
  public boolean reserve(RestoreEvent.Submitted submitted) {
    boolean added = restores.putIfAbsent(submitted.restore(), new RestoreView(submitted)) == null;
    if (added) {
      metrics.restoreCount(restores.size());
    }
    return added;
  }

  public boolean contains(String name) {
    return restores.containsKey(name);
  }

  /** A consistent reading of one restore. */
  public <T> Optional<T> read(String name, Function<RestoreView, T> reading) {
    RestoreView view = restores.get(name);
    if (view == null) {
      return Optional.empty();
    }
    synchronized (view) {
      return Optional.of(reading.apply(view));
    }
  }

  /** Every restore, oldest first. */
  public <T> List<T> readAll(Function<RestoreView, T> reading) {
    return restores.values().stream().sorted(Comparator.comparing(RestoreView::submittedAt))
        .map(v -> {
          synchronized (v) {
            return reading.apply(v);
          }
        }).toList();
  }

}
