package dev.rebound.model.pipeline;

import dev.rebound.model.pipeline.VolumeHint.PersistentVolumeAction;
import java.util.List;
import java.util.Map;

/**
 * Where a restore run's plan is recorded, carried by its {@code Planned} event: every item task of
 * every wave was written once to {@link dev.rebound.model.Topics#RESTORE_PLANS} in one pass over the
 * backup, so the later waves, a restart and a takeover publish from the record, never from the
 * tarball and never after planning again.
 *
 * @param id this recording's id: the record key of a wave's tasks is {@code <restore>/<cluster>/<wave>/<id>}
 * @param waves per wave, where its tasks are
 * @param persistentVolumes how each selected PersistentVolume is restored (reference 3.7), by its
 *     backed-up name: a claim's task is completed at publish time with the volume's restored name
 * @param volumePatches the re-provisioned volumes whose reclaim policy and labels come back (6.3 step 6)
 */
public record StoredPlan(String id, List<WaveRecord> waves, Map<String, PersistentVolumeAction> persistentVolumes,
    List<PersistentVolumePatch> volumePatches) {

  public StoredPlan {
    waves = List.copyOf(waves);
    persistentVolumes = persistentVolumes == null ? Map.of() : Map.copyOf(persistentVolumes);
    volumePatches = volumePatches == null ? List.of() : List.copyOf(volumePatches);
  }

  public WaveRecord wave(int index) {
    return waves.get(index);
  }

  /** The record key of a wave's tasks. */
  public String key(String restore, String cluster, int wave) {
    return restore + "/" + cluster + "/" + wave + "/" + id;
  }

  /**
   * One wave's tasks: {@code count} records with the wave's key between {@code from} and {@code to}
   * (inclusive) of one partition; none when count is 0.
   *
   * @param missing items planned but not found when the plan was recorded (the backup changed in
   *     between): each gets a failed result when the wave starts
   */
  public record WaveRecord(int wave, int partition, long from, long to, int count, List<MissingItem> missing) {
    public WaveRecord {
      missing = missing == null ? List.of() : List.copyOf(missing);
    }
  }

  /** An item planned but absent from the backup when it was read again. */
  public record MissingItem(ItemKey key, String groupResource) {
    /** Velero's resource id: {@code <group.resource>/<ns>/<name>} or {@code <group.resource>/<name>}. */
    public String resourceId() {
      return key.namespace().isEmpty() ? groupResource + "/" + key.name()
          : groupResource + "/" + key.namespace() + "/" + key.name();
    }
  }
}
