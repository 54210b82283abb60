package dev.rebound.statusreporter.restores;

import dev.rebound.model.pipeline.ClusterFold;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.velero.Result;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link RestoreView} knows of one restore into one cluster: the log's facts
 * ({@link ClusterFold}, folded as the coordinator folds them) and what Velero reports of them.
 */
final class ClusterView extends ClusterFold {
  final Result.Builder warnings = new Result.Builder();
  final Result.Builder errors = new Result.Builder();
  /** Every item has its result; only exec hooks are still running (Velero's Finalizing). */
  boolean awaitingHooks;
  /** Waiting for restored pods' volume data (AwaitingVolumes), until the last PodVolumesRestored. */
  int awaitingVolumes;
  /** Bytes of volume data restored, over the completed PodVolumeRestores. */
  long volumeBytes;
  /** What each ended PodVolumeRestore restored, for the volume info file. */
  final List<RestoreEvent.RestoredPodVolume> restoredVolumes = new ArrayList<>();
  /** PodVolumeRestores made (item operations attempted), and how those reported ended. */
  int operationsAttempted;
  /** Volumes restored from native or CSI snapshots, for the volume info file. */
  final List<RestoreEvent.RestoredVolume> snapshotVolumes = new ArrayList<>();
  final List<RestoreEvent.VolumeOperation> operations = new ArrayList<>();
  /** A dry run's verdicts, per item, in the order they came. */
  final java.util.Map<dev.rebound.model.pipeline.ItemKey, dev.rebound.model.pipeline.DryRun.Verdict> verdicts =
      new java.util.LinkedHashMap<>();

  ClusterView(String cluster) {
    super(cluster);
  }
}
