package dev.rebound.statusreporter.api;

import dev.rebound.model.velero.BackupStoreLayout;
import dev.rebound.statusreporter.restores.RestoreSummary;
import dev.rebound.storage.BackupStore;
import dev.rebound.storage.StorageLocations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Optional;

/**
 * The results, resource list and log of an ended restore: from its summary when they are in it
 * (a restore that never ran, or whose files could not all be stored), else from the files the
 * status-reporter stored under {@code restores/<name>/} of the bucket before the restore ended,
 * with the bodies the API answered while the restore was in memory.
 */
@ApplicationScoped
public class EndedRestoreFiles {

  private final StorageLocations locations;

  EndedRestoreFiles(StorageLocations locations) {
    this.locations = locations;
  }

  /** Where the ended restore's files are (the location recorded when they were stored). */
  private BackupStore store(RestoreSummary summary) throws IOException {
    return locations.storeOf(summary.restore().metadata().annotation(StorageLocations.FILES_ANNOTATION));
  }

  Response results(RestoreSummary summary) {
    if (!summary.filesInBucket()) {
      return Response.ok(summary.results()).build();
    }
    String name = summary.restore().name();
    return stored(summary, s -> s.layout().restoreResults(name), "results", MediaType.APPLICATION_JSON);
  }

  Response resourceList(RestoreSummary summary) {
    if (!summary.filesInBucket()) {
      return Response.ok(summary.resourceList()).build();
    }
    String name = summary.restore().name();
    return stored(summary, s -> s.layout().restoreResourceList(name), "resource list", MediaType.APPLICATION_JSON);
  }

  Response log(RestoreSummary summary) {
    if (!summary.filesInBucket()) {
      return Response.ok(summary.log(), MediaType.TEXT_PLAIN).build();
    }
    String name = summary.restore().name();
    return stored(summary, s -> s.layout().restoreLog(name), "log", MediaType.TEXT_PLAIN);
  }

  /** A dry run's report, from the bucket (an ended restore that was no dry run has none: 404). */
  Response dryRun(RestoreSummary summary) {
    String name = summary.restore().name();
    if (!dev.rebound.model.pipeline.DryRun.requested(summary.restore())) {
      return KubeStatus.failure(404, "NotFound", "restore \"" + name + "\" is not a dry run (annotation "
          + dev.rebound.model.pipeline.DryRun.ANNOTATION + ")");
    }
    return stored(summary, s -> s.layout().restoreDryRun(name), "dry run report", MediaType.APPLICATION_JSON);
  }

  private Response stored(RestoreSummary summary, java.util.function.Function<BackupStore, String> keyIn, String what,
      String type) {
    String restore = summary.restore().name();
    Optional<String> text;
    BackupStore store;
    String key;
    try {
      store = store(summary);
    } catch (IOException e) {
      return KubeStatus.failure(503, "ServiceUnavailable", "the " + what + " of ended restore \"" + restore
          + "\" cannot be read: " + e.getMessage());
    }
    key = keyIn.apply(store);
    try {
      text = store.gzipText(key);
    } catch (IOException e) {
      return KubeStatus.failure(503, "ServiceUnavailable", "the " + what + " of ended restore \"" + restore
          + "\" cannot be read from " + store.url(key) + ": " + e.getMessage());
    }
    return text.map(t -> Response.ok(t, type).build()).orElseGet(() -> KubeStatus.failure(404, "NotFound",
        "the " + what + " of ended restore \"" + restore + "\" is missing from " + store.url(key)
            + " (stored there when the restore ended)"));
  }
}
