package dev.rebound.statusreporter.restores;

import dev.rebound.model.pipeline.ClusterFold;
import dev.rebound.model.pipeline.DryRun;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.model.velero.RestoreStatus;
import dev.rebound.model.velero.Result;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One restore as Velero would report it, folded from its events: the Restore object with its
 * status (reference 2.2), the results file's warnings and errors (3.12), the resource list (1.4)
 * and the log. Per target cluster, results are kept by item key and the first one wins, so a
 * redelivered item never counts twice. Not thread-safe: the owner serialises access.
 */
public final class RestoreView {


  private final Restore request;
  private final Instant submittedAt;
  /** The restore log partition of the restore's events (they are keyed by its name). */
  private final int partition;
  private final Map<String, ClusterView> clusters = new LinkedHashMap<>();
  private final RestoreLogLines log;
  /** When the restore's files were stored (the end of Finalizing), null before. */
  private Instant filesStoredAt;
  /** The location the files were stored in; null for Rebound's own store. */
  private String filesLocation;
  /** Velero errors from storing the files. */
  private List<String> storingErrors = List.of();
  /** A deletion asked for while the restore ran, and its offset in the log (held until it is handed on). */
  public record PendingDeletion(RestoreEvent.DeleteRequested request, long offset) {}

  private PendingDeletion deletion;
  /** The cancel of the restore (the first naming its uid), null while none was asked for. */
  private RestoreEvent.CancelRequested cancel;
  /** Events applied so far: a watcher sends the restore again when it changed. */
  private long version;

  RestoreView(RestoreEvent.Submitted submitted, int partition) {
    this.request = submitted.request();
    this.submittedAt = submitted.at();
    this.partition = partition;
    this.log = new RestoreLogLines((request.metadata().namespace() == null ? "" : request.metadata().namespace() + "/")
        + request.name());
    submitted.clusters().forEach(c -> clusters.put(c, new ClusterView(c)));
    log(submitted.at(), "info", "Restore submitted", null);
  }

  public String name() {
    return request.name();
  }

  /** The {@code metadata.uid} the API gave the submission that won the name. */
  public String uid() {
    return request.metadata() == null ? null : request.metadata().uid();
  }

  int partition() {
    return partition;
  }

  public Instant submittedAt() {
    return submittedAt;
  }

  /** Applies an event; returns the phase the whole restore reached if this event ended it, else null. */
  RestorePhase apply(RestoreEvent event) {
    version++;
    boolean wasTerminal = phase().isTerminal();
    if (event instanceof RestoreEvent.CancelRequested requested && cancel == null && !wasTerminal
        && requested.uid() != null && requested.uid().equals(uid())) {
      cancel = requested;
      log(requested.at(), "info", "Cancel requested by " + requested.by()
          + ": no further items are restored; the restore ends Canceled once the items under way have ended", null);
    }
    if (event instanceof RestoreEvent.FilesStored stored) {
      if (filesStoredAt == null && clustersEnded()) {
        filesStoredAt = stored.at();
        storingErrors = stored.errors();
        filesLocation = stored.location();
      }
    }
    String clusterName = ClusterFold.clusterOf(event);
    if (clusterName != null) {
      ClusterView c = clusters.computeIfAbsent(clusterName, ClusterView::new);
      if (!c.apply(event)) {
        return null; // a repeat (a redelivered item, a second report or end): already counted
      }
      EventReport.report(c, event, clusterName, this::log);
    }
    RestorePhase now = phase();
    return !wasTerminal && now.isTerminal() ? now : null;
  }

  /** How many events this view applied: it changes whenever the restore may have. */
  public long version() {
    return version;
  }

  /**
   * Each target cluster's part of the restore, in the order the restore names them: its phase,
   * items restored of the (estimated) total, warnings, errors, failure reason and end.
   */
  public List<ClusterStatus> clusterStatuses() {
    List<ClusterStatus> statuses = new ArrayList<>();
    for (ClusterView c : clusters.values()) {
      statuses.add(new ClusterStatus(c.cluster(), c.phase(), c.phase().isTerminal() ? c.recordedCount() : estimate(c),
          c.recordedCount(), c.warnings(), c.errors(), c.failureReason(), c.completion()));
    }
    return statuses;
  }

  static int estimate(ClusterView c) {
    return c.recordedCount() + Math.max(0, c.plannedItems() - c.resultCount());
  }

  /**
   * The phase of the whole restore: New until a cluster starts, InProgress until every cluster
   * ends. Then, as in Velero (reference 2.3), a restore whose items ran is Finalizing (or
   * FinalizingPartiallyFailed) until its files are stored, and ends with the clusters' phase: the
   * cluster's phase when there is one, else FailedValidation or Failed if every cluster ended so,
   * PartiallyFailed if any did not complete, Completed if all did; an error storing the files
   * makes it PartiallyFailed. A restore no cluster ran (FailedValidation, Failed) has no files.
   */
  public RestorePhase phase() {
    List<RestorePhase> phases = clusters.values().stream().map(c -> c.phase()).toList();
    if (phases.stream().allMatch(p -> p == RestorePhase.NEW)) {
      return RestorePhase.NEW;
    }
    if (!clustersEnded()) {
      boolean errors = clusters.values().stream().anyMatch(c -> c.errors() > 0
          || c.phase() == RestorePhase.PARTIALLY_FAILED || c.phase() == RestorePhase.FAILED);
      // Volume data restores are the restore's asynchronous operations (reference 6.5): once every
      // unfinished cluster only waits for them (or hooks), the restore waits for plugin operations.
      if (clusters.values().stream().anyMatch(c -> !c.phase().isTerminal() && c.awaitingVolumes > 0)
          && clusters.values().stream().allMatch(c -> c.phase().isTerminal() || c.awaitingVolumes > 0 || c.awaitingHooks)) {
        return errors ? RestorePhase.WAITING_FOR_PLUGIN_OPERATIONS_PARTIALLY_FAILED
            : RestorePhase.WAITING_FOR_PLUGIN_OPERATIONS;
      }
      // Velero's Finalizing covers its wait for exec hooks: once every unfinished cluster only waits
      // for hooks, so does the restore.
      boolean finalizing = clusters.values().stream().allMatch(c -> c.phase().isTerminal() || c.awaitingHooks);
      if (finalizing) {
        return errors ? RestorePhase.FINALIZING_PARTIALLY_FAILED : RestorePhase.FINALIZING;
      }
      return RestorePhase.IN_PROGRESS;
    }
    if (phases.contains(RestorePhase.CANCELED)) {
      // Canceled as soon as every cluster ended (its files are stored after): nothing more is restored.
      return RestorePhase.CANCELED;
    }
    RestorePhase ended = phases.stream().distinct().count() == 1 ? phases.get(0)
        : phases.stream().allMatch(p -> p == RestorePhase.COMPLETED) ? RestorePhase.COMPLETED
        : RestorePhase.PARTIALLY_FAILED;
    if (!ran()) {
      return ended;
    }
    if (filesStoredAt == null) {
      return ended == RestorePhase.COMPLETED ? RestorePhase.FINALIZING : RestorePhase.FINALIZING_PARTIALLY_FAILED;
    }
    return ended == RestorePhase.COMPLETED && !storingErrors.isEmpty() ? RestorePhase.PARTIALLY_FAILED : ended;
  }

  private boolean clustersEnded() {
    return clusters.values().stream().allMatch(c -> c.phase().isTerminal());
  }

  /**
   * Whether a cluster restored its items to the end (Velero writes files only for such a restore),
   * or the restore was canceled (its files list what it restored).
   */
  private boolean ran() {
    return ClusterFold.writesFiles(clusters.values());
  }

  /** The restore ran and every file of it is in the bucket (stored without error). */
  boolean filesInBucket() {
    return ran() && filesStoredAt != null && storingErrors.isEmpty();
  }

  /** Every cluster ended and items ran, but the restore's files are not stored yet. */
  public boolean awaitingFiles() {
    return filesStoredAt == null && clustersEnded() && ran();
  }

  /** What Velero stores under {@code restores/<name>/} (reference 1.4), and a dry run's report, as of now. */
  public RestoreFiles.Contents files() {
    return new RestoreFiles.Contents(name(), log.gzip(), results(), resourceList(), itemOperations(), volumeInfo(),
        DryRun.requested(request) ? dryRun() : null, storageLocation());
  }

  /** The location the restore's backup is read from (recorded when it was planned), else null. */
  private String storageLocation() {
    return clusters.values().stream().map(ClusterFold::resolved).filter(java.util.Objects::nonNull)
        .map(r -> r.metadata() == null ? null : r.metadata().annotation(dev.rebound.storage.StorageLocations.ANNOTATION))
        .filter(java.util.Objects::nonNull).findFirst().orElse(null);
  }

  /** A dry run's report ({@link DryRunReport}). */
  public List<Map<String, Object>> dryRun() {
    return DryRunReport.entries(clusters.values());
  }

  /** Velero's restore volume info (reference 6.6), over every cluster: {@link RestoreVolumeInfo}. */
  public List<Map<String, Object>> volumeInfo() {
    return RestoreVolumeInfo.entries(clusters.values().stream().flatMap(c -> c.restoredVolumes.stream()).toList(),
        clusters.values().stream().flatMap(c -> c.snapshotVolumes.stream()).toList());
  }

  /** Velero's restore item operations (reference 6.5), over every cluster: {@link RestoreItemOperations}. */
  public List<Map<String, Object>> itemOperations() {
    return RestoreItemOperations.entries(name(), request.metadata() == null ? null : request.metadata().uid(),
        clusters.values().stream().flatMap(c -> c.operations.stream()).toList());
  }

  /** Velero's {@code spec.scheduleName} after the controller filled it: the metrics' {@code schedule} label. */
  public String schedule() {
    RestoreSpec spec = spec();
    return spec == null || spec.scheduleName() == null ? "" : spec.scheduleName();
  }

  private RestoreSpec spec() {
    return clusters.values().stream().filter(c -> c.resolved() != null).map(c -> c.resolved().spec()).findFirst()
        .orElse(request.spec());
  }

  public Instant start() {
    return clusters.values().stream().map(c -> c.start()).filter(java.util.Objects::nonNull).min(Instant::compareTo)
        .orElse(null);
  }

  public Instant completion() {
    if (!phase().isTerminal() || phase() == RestorePhase.FAILED_VALIDATION) {
      return null;
    }
    if (filesStoredAt != null) {
      return filesStoredAt;
    }
    return clusters.values().stream().map(c -> c.completion()).filter(java.util.Objects::nonNull)
        .max(Instant::compareTo).orElse(null);
  }

  /** The Restore object: the request with the completed spec and Velero's status fields. */
  public Restore restore() {
    RestorePhase phase = phase();
    List<String> validationErrors = new ArrayList<>();
    int warnings = 0;
    int errors = 0;
    int total = 0;
    int restored = 0;
    List<String> reasons = new ArrayList<>();
    errors += storingErrors.size();
    int hooksAttempted = 0;
    int hooksFailed = 0;
    int[] operations = new int[3]; // attempted, completed, failed
    for (ClusterView c : clusters.values()) {
      operations[0] += c.operationsAttempted;
      c.operations.forEach(op -> operations["Completed".equals(op.phase()) ? 1 : 2]++);
      validationErrors.addAll(c.validationErrors());
      warnings += c.warnings();
      errors += c.errors();
      restored += c.recordedCount();
      total += c.phase().isTerminal() ? c.recordedCount() : estimate(c);
      if (c.failureReason() != null) {
        reasons.add(c.failureReason());
      }
      hooksAttempted += c.hooksAttempted();
      hooksFailed += c.hooksFailed();
    }
    RestoreStatus.Progress progress = phase == RestorePhase.NEW || phase == RestorePhase.FAILED_VALIDATION
        ? null : new RestoreStatus.Progress(total, restored);
    RestoreStatus status = new RestoreStatus(phase, validationErrors.isEmpty() ? null : validationErrors,
        warnings, errors, (phase == RestorePhase.FAILED || phase == RestorePhase.CANCELED) && !reasons.isEmpty()
            ? String.join("; ", reasons.stream().distinct().toList()) : null,
        phase == RestorePhase.FAILED_VALIDATION ? null : start(), completion(), progress, operations[0], operations[1],
        operations[2],
        hooksAttempted > 0 ? new RestoreStatus.HookStatus(hooksAttempted, hooksFailed) : null);
    Restore restore = request.withSpec(spec()).withStatus(status);
    if (cancel != null) {
      restore = restore.withMetadata(restore.metadata().annotated(CANCEL_REQUESTED_BY, cancel.by()));
    }
    String location = storageLocation();
    if (location != null) {
      restore = restore.withMetadata(restore.metadata().annotated(dev.rebound.storage.StorageLocations.ANNOTATION,
          location));
    }
    if (filesLocation != null) {
      restore = restore.withMetadata(restore.metadata().annotated(
          dev.rebound.storage.StorageLocations.FILES_ANNOTATION, filesLocation));
    }
    return deletion == null ? restore : restore.withMetadata(restore.metadata().deleting(deletion.request().at()));
  }

  /**
   * A deletion of the running restore (its cancel was asked for with it): kept until the restore ends,
   * then handed on as the deletion of the ended restore. One naming another uid is ignored.
   */
  void deleteRequested(RestoreEvent.DeleteRequested request, long offset) {
    if (deletion == null && request.uid() != null && request.uid().equals(uid())) {
      version++;
      deletion = new PendingDeletion(request, offset);
      log(request.at(), "info", "Deletion requested by " + request.by() + ": the restore is deleted once it ends",
          null);
    }
  }

  /** The deletion asked for while the restore ran; null when none. */
  public PendingDeletion deletion() {
    return deletion;
  }

  /** The annotation showing who asked to cancel the restore. */
  public static final String CANCEL_REQUESTED_BY = "rebound.dev/cancel-requested-by";

  /** The results file: {@code {"warnings": Result, "errors": Result}} (reference 1.4, 3.12). */
  public Map<String, Result> results() {
    return RestoreResults.results(clusters.values().stream().map(c -> c.warnings.build()).toList(),
        clusters.values().stream().map(c -> c.errors.build()).toList(), storingErrors);
  }

  /** Velero's restore resource list: {@code <apiVersion>/<Kind>} to sorted {@code <ns>/<name>(<action>)}. */
  public Map<String, List<String>> resourceList() {
    return RestoreResults.resourceList(clusters.values().stream().map(c -> c.recorded()).toList());
  }

  /** Items recorded so far, over every cluster. */
  public int recordedCount() {
    return clusters.values().stream().mapToInt(c -> c.recordedCount()).sum();
  }

  public String log() {
    return log.text();
  }

  private void log(Instant at, String level, String message, String cluster) {
    log.add(at, level, message, cluster, clusters.size());
  }
}
