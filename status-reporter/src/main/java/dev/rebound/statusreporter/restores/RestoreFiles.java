package dev.rebound.statusreporter.restores;

import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.BackupStoreLayout;
import dev.rebound.model.velero.Result;
import dev.rebound.storage.BackupStore;
import dev.rebound.storage.StorageLocations;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Velero's Finalizing step for a restore whose items ran (reference 1.4, 2.3, 6.6): stores the log,
 * the results, the resource list, the (empty) item operations and the volume info under {@code restores/<name>/}
 * of the backup storage location, then appends {@link RestoreEvent.FilesStored}, which ends the
 * restore. As in Velero, a log that cannot be stored is a Velero error of the restore ("error
 * uploading log file to backup storage: ..."), the other files' failures are only logged.
 *
 * <p>Stores one restore at a time, off the log reader's thread. A restore whose files were
 * stored but whose event was not appended (a crash in between) is stored again at the next
 * start: S3 replaces whole objects, so that is harmless.
 */
@ApplicationScoped
public class RestoreFiles {

  private static final Logger LOG = Logger.getLogger(RestoreFiles.class);
  /** Pause before appending the event again when the broker did not acknowledge it. */
  private static final long RETRY_SECONDS = 5;

  /** What is stored: the restore's state once every cluster ended. */
  public record Contents(String restore, byte[] gzipLog, Map<String, Result> results,
      Map<String, List<String>> resourceList, List<Map<String, Object>> itemOperations,
      List<Map<String, Object>> volumeInfo, List<Map<String, Object>> dryRun, String location) {}

  private final StorageLocations locations;
  private final RestoreLogAppender appender;
  private final Clock clock = Clock.systemUTC();
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "restore-files");
    t.setDaemon(true);
    return t;
  });

  RestoreFiles(StorageLocations locations, RestoreLogAppender appender) {
    this.locations = locations;
    this.appender = appender;
  }

  void stop(@Observes ShutdownEvent event) {
    worker.shutdownNow();
  }

  /** Stores the files of a restore that awaits them, unless that is already under way. */
  public void store(Contents contents) {
    if (pending.add(contents.restore())) {
      worker.execute(() -> storeAndRecord(contents));
    }
  }

  private void storeAndRecord(Contents contents) {
    String filesLocation;
    BackupStore store;
    try {
      // The backup's location, unless it is ReadOnly: then Rebound's own store (never written there).
      filesLocation = locations.filesLocation(contents.location());
      store = locations.storeOf(filesLocation);
    } catch (IOException e) {
      LOG.warnf("Cannot store the files of restore %s yet, trying again in %ds: %s", contents.restore(), RETRY_SECONDS,
          e.getMessage());
      worker.schedule(() -> storeAndRecord(contents), RETRY_SECONDS, TimeUnit.SECONDS);
      return;
    }
    List<String> errors = write(store, contents);
    try {
      appender.append(new RestoreEvent.FilesStored(contents.restore(), errors, clock.instant(), filesLocation));
      pending.remove(contents.restore());
    } catch (RuntimeException e) {
      LOG.warnf("Cannot record that the files of restore %s are stored, trying again in %ds: %s",
          contents.restore(), RETRY_SECONDS, e.getMessage());
      worker.schedule(() -> storeAndRecord(contents), RETRY_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** Writes the files; returns the Velero errors the writing adds to the restore. */
  List<String> write(BackupStore store, Contents contents) {
    String name = contents.restore();
    BackupStoreLayout layout = store.layout();
    List<String> errors = new ArrayList<>();
    try {
      store.put(layout.restoreLog(name), contents.gzipLog()); // already gzip, as Velero's log file
    } catch (IOException e) {
      errors.add("error uploading log file to backup storage: " + e.getMessage());
    }
    Map<String, Result> results = contents.results();
    if (!errors.isEmpty()) {
      Result withErrors = results.get("errors");
      for (String e : errors) {
        withErrors = withErrors.addVelero(e);
      }
      results = Map.of("warnings", results.get("warnings"), "errors", withErrors);
    }
    put(store, layout.restoreResults(name), new java.util.TreeMap<>(results), "restore results");
    put(store, layout.restoreResourceList(name), contents.resourceList(), "restored resource list");
    // Velero writes the operations of asynchronous restore item actions even when there are none.
    put(store, layout.restoreItemOperations(name), contents.itemOperations(),
        "restore item action operation resource list");
    put(store, layout.restoreVolumeInfo(name), contents.volumeInfo(), "restore volume info");
    if (contents.dryRun() != null) {
      put(store, layout.restoreDryRun(name), contents.dryRun(), "dry run report");
    }
    if (errors.isEmpty()) {
      LOG.infof("Stored the files of restore %s under %s", name, store.url(layout.restoreDir(name)));
    }
    return errors;
  }

  private static void put(BackupStore store, String key, Object value, String what) {
    try {
      store.putGzipJson(key, value);
    } catch (IOException e) {
      LOG.errorf("Error uploading %s to backup storage: %s", what, e.getMessage());
    }
  }
}
