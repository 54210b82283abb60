package dev.rebound.statusreporter.restores;

import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.Result;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a {@link RestoreView} knows of one restore into one cluster. */
final class ClusterView {
  RestorePhase phase = RestorePhase.NEW;
  Restore resolved;
  List<String> validationErrors = List.of();
  String failureReason;
  Instant start;
  Instant completion;
  int plannedItems;
  /** Keys with a result; a second result for a key is a redelivery. */
  final java.util.Set<ItemKey> seen = new java.util.HashSet<>();
  /** Keys Velero records, with their action (a namespace that existed has a result but no record). */
  final Map<ItemKey, ItemAction> recorded = new HashMap<>();
  final Result.Builder warnings = new Result.Builder();
  final Result.Builder errors = new Result.Builder();
  int warningCount;
  int errorCount;
  /** Pods whose hook results are in (a second report of a pod is ignored). */
  final java.util.Set<ItemKey> hooksReported = new java.util.HashSet<>();
  int hooksAttempted;
  int hooksFailed;
  /** Every item has its result; only exec hooks are still running (Velero's Finalizing). */
  boolean awaitingHooks;
  /** Waiting for restored pods' volume data (AwaitingVolumes), until the last PodVolumesRestored. */
  int awaitingVolumes;
  final Set<ItemKey> volumesReported = new HashSet<>();
  /** Bytes of volume data restored, over the completed PodVolumeRestores. */
  long volumeBytes;
  /** What each ended PodVolumeRestore restored, for the volume info file. */
  final List<RestoreEvent.RestoredPodVolume> restoredVolumes = new java.util.ArrayList<>();
  /** PodVolumeRestores made (item operations attempted), and how those reported ended. */
  int operationsAttempted;
  /** The re-provisioned volumes' patching ended (a second report is ignored). */
  boolean volumesPatched;
  /** Volumes restored from native or CSI snapshots, for the volume info file. */
  final List<RestoreEvent.RestoredVolume> snapshotVolumes = new java.util.ArrayList<>();
  final List<RestoreEvent.VolumeOperation> operations = new java.util.ArrayList<>();
}
