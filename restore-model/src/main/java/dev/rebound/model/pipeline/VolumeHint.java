package dev.rebound.model.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The coordinator's decisions about a volume that an item-restorer cannot make alone, because they
 * depend on the backup's volume files or on other items (reference 3.7, 3.6 step 9).
 *
 * @param persistentVolume for a PersistentVolume: how it is restored; for a claim whose volume is
 *     re-provisioned: how that volume is (whether a file-system backup refills it)
 * @param provision for a PersistentVolumeClaim: its volume is re-provisioned, so its
 *     {@code spec.volumeName} is cleared
 * @param renamedVolume for a PersistentVolumeClaim: the new name of its renamed volume, else null
 * @param snapshot for a PersistentVolume restored by {@link PersistentVolumeAction#SNAPSHOT}: its
 *     native snapshot record, or null when the backup's snapshot file has none for it
 * @param podVolumes for a Pod: its volumes backed up by file-system backup, whose data the
 *     volume-restorer restores (reference 6.2); null for other items and pods without any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VolumeHint(PersistentVolumeAction persistentVolume, Boolean provision, String renamedVolume,
    NativeSnapshot snapshot, java.util.List<PodVolume> podVolumes) {

  /** How a PersistentVolume is restored (reference 3.7). */
  public enum PersistentVolumeAction {
    /** A native snapshot backs it: the snapshot path (rename when its name is taken, claimRef remapped). */
    SNAPSHOT,
    /**
     * A CSI snapshot, or no data and reclaim policy Delete: not created; its claim gets a new volume
     * (provisioned from the restored snapshot when its CSI action points it there).
     */
    PROVISION,
    /**
     * A file-system backup holds its data: not created; its claim gets a new volume, which the
     * volume-restorer fills from the backup (reference 6.2).
     */
    PROVISION_FOR_POD_VOLUME,
    /** No data and a reclaim policy other than Delete: restored as-is, binding reset, claimRef remapped. */
    AS_IS
  }

  public static VolumeHint persistentVolume(PersistentVolumeAction action) {
    return new VolumeHint(action, null, null, null, null);
  }

  /** A PersistentVolume restored from its native snapshot ({@code snapshot} null when none is recorded). */
  public static VolumeHint snapshot(NativeSnapshot snapshot) {
    return new VolumeHint(PersistentVolumeAction.SNAPSHOT, null, null, snapshot, null);
  }

  public static VolumeHint claim(boolean provision, String renamedVolume) {
    return new VolumeHint(null, provision ? Boolean.TRUE : null, renamedVolume, null, null);
  }

  /** A claim whose volume is re-provisioned as {@code volume} says. */
  public static VolumeHint claim(PersistentVolumeAction volume, String renamedVolume) {
    return new VolumeHint(volume, Boolean.TRUE, renamedVolume, null, null);
  }

  /** Whether a file-system backup refills this claim's re-provisioned volume. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean refilledByPodVolume() {
    return persistentVolume == PersistentVolumeAction.PROVISION_FOR_POD_VOLUME;
  }

  /** A pod with volumes to restore from file-system backups. */
  public static VolumeHint pod(java.util.List<PodVolume> podVolumes) {
    return new VolumeHint(null, null, null, null, java.util.List.copyOf(podVolumes));
  }
}
