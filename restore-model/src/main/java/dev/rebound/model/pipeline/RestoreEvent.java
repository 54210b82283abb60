package dev.rebound.model.pipeline;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.Result;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The life of a restore, as a log of events on {@link dev.rebound.model.Topics#RESTORE_EVENTS},
 * keyed by the restore's name: every event of one restore lands on one partition, in the order it
 * was appended. A restore's state (phase, progress, results, resource list, logs) is a fold of its
 * events, so any service rebuilds it by reading the topic from the start; no service holds state
 * that exists only in its memory.
 *
 * <p>Writers: the status-reporter appends {@link Submitted}, {@link CancelRequested} and {@link DeleteRequested} (its API) and {@link FilesStored};
 * the coordinator appends {@link Planned}, {@link Rejected}, {@link WaveStarted}, {@link AwaitingHooks},
 * {@link HookStarted}, {@link HooksRun}, {@link Finished} and {@link Deleted}; item-restorers append {@link ItemRestored}. The coordinator appends
 * {@link Finished} only after it has read every result of the last wave, so a reader of the
 * partition sees all results before it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = RestoreEvent.Submitted.class, name = "Submitted"),
    @JsonSubTypes.Type(value = RestoreEvent.Rejected.class, name = "Rejected"),
    @JsonSubTypes.Type(value = RestoreEvent.Planned.class, name = "Planned"),
    @JsonSubTypes.Type(value = RestoreEvent.WaveStarted.class, name = "WaveStarted"),
    @JsonSubTypes.Type(value = RestoreEvent.ItemRestored.class, name = "ItemRestored"),
    @JsonSubTypes.Type(value = RestoreEvent.Finished.class, name = "Finished"),
    @JsonSubTypes.Type(value = RestoreEvent.FilesStored.class, name = "FilesStored"),
    @JsonSubTypes.Type(value = RestoreEvent.HookStarted.class, name = "HookStarted"),
    @JsonSubTypes.Type(value = RestoreEvent.HooksRun.class, name = "HooksRun"),
    @JsonSubTypes.Type(value = RestoreEvent.AwaitingHooks.class, name = "AwaitingHooks"),
    @JsonSubTypes.Type(value = RestoreEvent.AwaitingVolumes.class, name = "AwaitingVolumes"),
    @JsonSubTypes.Type(value = RestoreEvent.PodVolumesRestored.class, name = "PodVolumesRestored"),
    @JsonSubTypes.Type(value = RestoreEvent.VolumesPatched.class, name = "VolumesPatched"),
    @JsonSubTypes.Type(value = RestoreEvent.CancelRequested.class, name = "CancelRequested"),
    @JsonSubTypes.Type(value = RestoreEvent.DeleteRequested.class, name = "DeleteRequested"),
    @JsonSubTypes.Type(value = RestoreEvent.Deleted.class, name = "Deleted")
})
public sealed interface RestoreEvent {

  /** The restore's name: the record key. */
  String restore();

  Instant at();

  /**
   * A restore request was accepted by the API: name set (default name when it had none), phase
   * New, target clusters resolved from the {@code rebound.dev/target-clusters} annotation.
   */
  record Submitted(String restore, Restore request, List<String> clusters, Instant at) implements RestoreEvent {
    public Submitted {
      Objects.requireNonNull(restore, "restore");
      Objects.requireNonNull(request, "request");
      clusters = List.copyOf(clusters);
    }
  }

  /**
   * The restore ended for a cluster before any item was restored: {@code FailedValidation} with
   * Velero's validation errors, or {@code Failed} with a failure reason (backup unreadable).
   *
   * @param outcome the Restore as Velero would persist it: spec completed, status with the phase
   */
  record Rejected(String restore, String cluster, Restore outcome, Instant at) implements RestoreEvent {}

  /**
   * The restore was validated and planned for a cluster and is now InProgress there.
   *
   * @param resolved the Restore with Velero's spec completions (backup/schedule names, excluded resources)
   * @param waves the plan's waves in order
   * @param warnings and {@code errors}: what reading the backup found (items that could not be decoded)
   */
  /**
   * @param plan where the plan's item tasks are recorded; null in events of coordinators before
   *     the plan was recorded (such a run is planned again when it is resumed)
   */
  record Planned(String restore, String cluster, Restore resolved, List<WaveSummary> waves, Result warnings,
      Result errors, Instant at,
      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
      StoredPlan plan) implements RestoreEvent {
    public Planned {
      waves = List.copyOf(waves);
    }

    /** A plan not recorded (tests of the fold, and the events of older coordinators). */
    public Planned(String restore, String cluster, Restore resolved, List<WaveSummary> waves, Result warnings,
        Result errors, Instant at) {
      this(restore, cluster, resolved, waves, warnings, errors, at, null);
    }

    public int totalItems() {
      return waves.stream().mapToInt(WaveSummary::items).sum();
    }
  }

  /** One wave of the plan: its items may be restored in parallel. */
  record WaveSummary(int index, String name, int items) {}

  /** The coordinator published every item of a wave. */
  record WaveStarted(String restore, String cluster, int wave, int items, Instant at) implements RestoreEvent {}

  /**
   * The result of one item, from the item-restorer that restored it. Redeliveries may append the
   * same key twice; readers keep the first.
   *
   * @param action null when Velero records nothing for the item (a namespace that already existed)
   * @param log the item's log lines, in Velero's wording
   * @param createdAs the name the object was created with when it is not the backup's (a
   *     PersistentVolume renamed {@code velero-clone-<uuid>}, reference 3.7), else null
   * @param execHooks the post-restore exec hooks of a pod this restore created, for the
   *     coordinator to run (reference 3.13); empty for anything else
   * @param podVolumeRestores the names of the PodVolumeRestores made for a pod this restore
   *     created (reference 6.2), in the target's Velero namespace, for the coordinator to wait for;
   *     empty for anything else
   * @param restoredVolume the volume this item restored from a snapshot (a PersistentVolume from its
   *     native snapshot, a claim from a restored CSI VolumeSnapshot), for the restore volume info
   *     file; null for anything else
   * @param dryRun in a dry run, what the restore would do to the item; null in a restore
   */
  record ItemRestored(String restore, String cluster, int wave, ItemKey key, ItemAction action, Result warnings,
      Result errors, List<String> log, String worker, Instant at, String createdAs, List<ExecHook> execHooks,
      List<String> podVolumeRestores,
      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
      RestoredVolume restoredVolume,
      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
      DryRun.Verdict dryRun) implements RestoreEvent {
    public ItemRestored {
      warnings = warnings == null ? Result.empty() : warnings;
      errors = errors == null ? Result.empty() : errors;
      log = log == null ? List.of() : List.copyOf(log);
      execHooks = execHooks == null ? List.of() : List.copyOf(execHooks);
      podVolumeRestores = podVolumeRestores == null ? List.of() : List.copyOf(podVolumeRestores);
    }

    /** A result of a restore that is no dry run. */
    public ItemRestored(String restore, String cluster, int wave, ItemKey key, ItemAction action, Result warnings,
        Result errors, List<String> log, String worker, Instant at, String createdAs, List<ExecHook> execHooks,
        List<String> podVolumeRestores, RestoredVolume restoredVolume) {
      this(restore, cluster, wave, key, action, warnings, errors, log, worker, at, createdAs, execHooks,
          podVolumeRestores, restoredVolume, null);
    }

    /** A result whose object kept its backed-up name and has no hooks or volumes to wait for. */
    public ItemRestored(String restore, String cluster, int wave, ItemKey key, ItemAction action, Result warnings,
        Result errors, List<String> log, String worker, Instant at) {
      this(restore, cluster, wave, key, action, warnings, errors, log, worker, at, null, List.of(), List.of(), null);
    }

    /** A result without a volume restored from a snapshot. */
    public ItemRestored(String restore, String cluster, int wave, ItemKey key, ItemAction action, Result warnings,
        Result errors, List<String> log, String worker, Instant at, String createdAs, List<ExecHook> execHooks,
        List<String> podVolumeRestores) {
      this(restore, cluster, wave, key, action, warnings, errors, log, worker, at, createdAs, execHooks,
          podVolumeRestores, null);
    }
  }

  /**
   * A volume restored from a snapshot, as Velero's restore volume info records it (reference 6.6).
   *
   * @param method {@code NativeSnapshot} or {@code CSISnapshot}
   * @param pvcName the claim, or null when unknown (a native PV without a claim reference)
   * @param pvName the PersistentVolume, or null when the cluster provisions it later (CSI)
   * @param snapshotHandle the provider's snapshot ID
   * @param size CSI: the snapshot's restore size in bytes, 0 when unknown
   * @param driver CSI: the driver's name
   * @param vscName CSI: the restored VolumeSnapshotContent
   */
  record RestoredVolume(String method, String pvcName, String pvcNamespace, String pvName, String snapshotHandle,
      long size, String driver, String vscName, String volumeType, String volumeAZ, Long iops) {

    public static RestoredVolume nativeSnapshot(String pvName, String pvcName, String pvcNamespace,
        String snapshotHandle, String volumeType, String volumeAZ, Long iops) {
      return new RestoredVolume("NativeSnapshot", pvcName, pvcNamespace, pvName, snapshotHandle, 0, null, null,
          volumeType, volumeAZ, iops);
    }

    public static RestoredVolume csiSnapshot(String pvcName, String pvcNamespace, String snapshotHandle, long size,
        String driver, String vscName) {
      return new RestoredVolume("CSISnapshot", pvcName, pvcNamespace, null, snapshotHandle, size, driver, vscName,
          null, null, null);
    }
  }

  /**
   * Every item of the restore has its result in a cluster, but restored pods' exec hooks have not
   * all run: the restore is Finalizing there (reference 2.3, 3.13) until {@link Finished}.
   *
   * @param pods the pods whose hooks are still to run
   */
  record AwaitingHooks(String restore, String cluster, int pods, Instant at) implements RestoreEvent {}

  /**
   * A coordinator is about to run one exec hook of a restored pod: appended, and acknowledged by the
   * broker, before the command is sent, so a coordinator that takes the restore over never runs it
   * a second time (hooks run at most once; reference 3.13 and DESIGN "Ownership").
   *
   * @param coordinator the instance that runs it
   */
  record HookStarted(String restore, String cluster, ItemKey pod, String container, String hook, String coordinator,
      Instant at) implements RestoreEvent {}

  /**
   * The coordinator ran (or gave up on) a restored pod's exec hooks (reference 3.13): what
   * Velero's hook tracker records for the pod.
   *
   * @param pod the pod's item key
   * @param attempted the hooks tracked for the pod
   * @param failed those that failed, expired or were not executed
   * @param errors one message per failed hook, in Velero's words; they are errors of the restore
   *     under the pod's namespace
   */
  record HooksRun(String restore, String cluster, ItemKey pod, int attempted, int failed, List<String> errors,
      List<String> log, Instant at) implements RestoreEvent {
    public HooksRun {
      errors = errors == null ? List.of() : List.copyOf(errors);
      log = log == null ? List.of() : List.copyOf(log);
    }
  }

  /**
   * Every item of the restore has its result in a cluster, but restored pods' volume data is still
   * being restored (reference 6.2, 6.5): the restore is WaitingForPluginOperations there (or
   * WaitingForPluginOperationsPartiallyFailed once it has errors).
   *
   * @param pods the pods whose volumes are still being restored
   */
  record AwaitingVolumes(String restore, String cluster, int pods, Instant at) implements RestoreEvent {}

  /**
   * The PodVolumeRestores of a restored pod ended (reference 6.2): each {@code Completed}, or
   * {@code Failed}/{@code Canceled} with Velero's error, or given up after the pod-volume timeout.
   *
   * @param pod the pod's item key
   * @param volumes the pod's PodVolumeRestores, one per volume
   * @param completed those that ended Completed
   * @param bytes the bytes restored, over the completed ones
   * @param errors Velero errors ("pod volume restore failed: ..."), which make the restore PartiallyFailed
   * @param restored what each PodVolumeRestore that ended restored, for the restore's volume info file
   * @param operations every PodVolumeRestore of the pod as an item operation, in the order they were made
   */
  record PodVolumesRestored(String restore, String cluster, ItemKey pod, int volumes, int completed, long bytes,
      List<String> errors, List<String> log, Instant at, List<RestoredPodVolume> restored,
      List<VolumeOperation> operations) implements RestoreEvent {
    public PodVolumesRestored {
      errors = errors == null ? List.of() : List.copyOf(errors);
      log = log == null ? List.of() : List.copyOf(log);
      restored = restored == null ? List.of() : List.copyOf(restored);
      operations = operations == null ? List.of() : List.copyOf(operations);
    }
  }

  /**
   * The volumes the cluster provisioned anew for restored claims got their backed-up reclaim policy
   * and labels back once bound (reference 6.3 step 6, Velero's restore finalizer), or could not.
   *
   * @param volumes the claims whose volumes were to be patched
   * @param errors Velero's errors ("fail to patch dynamic PV, err: ..."), under the claims' namespaces
   */
  record VolumesPatched(String restore, String cluster, int volumes, Result errors, List<String> log, Instant at)
      implements RestoreEvent {
    public VolumesPatched {
      errors = errors == null ? Result.empty() : errors;
      log = log == null ? List.of() : List.copyOf(log);
    }
  }

  /**
   * A volume restore as one of Velero's asynchronous restore item operations (reference 6.5): one
   * PodVolumeRestore of a restored pod, as it ended.
   *
   * @param operationId the PodVolumeRestore's name
   * @param podNamespace the pod's target namespace
   * @param phase {@code Completed} or {@code Failed} (Velero's operation phases)
   * @param error why it failed, else null
   * @param bytesDone bytes restored ({@code nCompleted}, in {@code Bytes})
   * @param totalBytes bytes to restore ({@code nTotal})
   * @param created when the PodVolumeRestore was made
   * @param started when the volume-restorer started it, or null
   * @param updated its last progress (its completion when it ended), or null
   */
  record VolumeOperation(String operationId, String podNamespace, String podName, String volume, String phase,
      String error, long bytesDone, long totalBytes, Instant created, Instant started, Instant updated) {}

  /**
   * One PodVolumeRestore, as Velero's restore volume info records it (reference 6.6).
   *
   * @param pvcName the claim of the pod's volume, or null when the volume is not a claim (Velero
   *     leaves such volumes out of the file)
   * @param pvName the volume bound to that claim when the restore ended, or null
   */
  record RestoredPodVolume(String volume, String snapshotId, String uploaderType, long size, String podName,
      String podNamespace, String pvcName, String pvName) {}

  /**
   * The restore ended for a cluster: after its last wave Completed or PartiallyFailed; Failed (a
   * step failed, a wave stalled); or Canceled once a {@link CancelRequested} stopped it and every
   * item published before has its result.
   */
  record Finished(String restore, String cluster, RestorePhase phase, String failureReason, Instant at)
      implements RestoreEvent {}

  /**
   * The restore's files (log, results, resource list, item operations) were written under
   * {@code restores/<name>/} of the backup storage location, after every cluster finished: the
   * end of Velero's Finalizing phase (reference 1.4, 2.3). Appended once per restore that ran; a
   * second one (a writer restarted before it saw its own) is ignored by readers.
   *
   * @param errors Velero errors the writing added, as Velero words them ("error uploading log file
   *     to backup storage: ..."); they make the restore PartiallyFailed
   * @param location the backup storage location the files are in; null for Rebound's own store
   *     (the configured one: the only one without BackupStorageLocations, and where the files of a
   *     restore from a {@code ReadOnly} location are kept)
   */
  record FilesStored(String restore, List<String> errors, Instant at,
      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
      String location) implements RestoreEvent {
    public FilesStored {
      errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** Files stored in Rebound's own store (the configured one). */
    public FilesStored(String restore, List<String> errors, Instant at) {
      this(restore, errors, at, null);
    }
  }

  /**
   * Someone asked to stop a running restore (the API's {@code cancel}, the
   * {@code rebound.dev/cancel} annotation of its Restore object, or the deletion of a running
   * restore). The coordinator that drives it starts no further wave, fences its items off
   * ({@link dev.rebound.model.Topics#RESTORE_CANCELS}) so item-restorers skip those not yet restored,
   * and ends each cluster run {@code Canceled} once every item it published has a result. A restore
   * that has ended ignores it; so does a restore that takes the name later (another uid).
   *
   * @param uid the restore to stop
   * @param by who asked (the authenticated user, or the Restore object)
   */
  record CancelRequested(String restore, String uid, String by, Instant at) implements RestoreEvent {}

  /**
   * A super-admin deleted an ended restore (Velero's delete semantics, reference 8.5): from now on
   * it is being deleted (its Restore shows {@code metadata.deletionTimestamp}, as a Restore held by
   * Velero's finalizer does) until {@link Deleted}. Carries what the coordinator needs to remove
   * what the restore left, since the coordinator keeps only the name of an ended restore.
   *
   * @param uid the restore deleted: a request for another restore of the same name is ignored
   * @param clusters the restore's target clusters
   * @param resourceModifierConfigMap the ConfigMap made for its inline resource modifiers, in each
   *     target cluster's Velero namespace, or null when it has none
   * @param by who deleted it (the authenticated user)
   * @param filesLocation the backup storage location of its files ({@link FilesStored#location}); null
   *     for Rebound's own store
   */
  record DeleteRequested(String restore, String uid, List<String> clusters, String resourceModifierConfigMap,
      String by, Instant at,
      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
      String filesLocation) implements RestoreEvent {
    public DeleteRequested {
      clusters = clusters == null ? List.of() : List.copyOf(clusters);
    }

    /** A deletion of a restore whose files are in Rebound's own store. */
    public DeleteRequested(String restore, String uid, List<String> clusters, String resourceModifierConfigMap,
        String by, Instant at) {
      this(restore, uid, clusters, resourceModifierConfigMap, by, at, null);
    }

    /** The same request, the files in {@code location} ({@link FilesStored#location}). */
    public DeleteRequested withFilesLocation(String location) {
      return new DeleteRequested(restore, uid, clusters, resourceModifierConfigMap, by, at, location);
    }
  }

  /**
   * The restore's files under {@code restores/<name>/} and its inline resource modifiers ConfigMaps
   * are gone: the restore is forgotten and its name is free. Appended by the coordinator that owns
   * the restore's partition.
   */
  record Deleted(String restore, String uid, Instant at) implements RestoreEvent {}
}
