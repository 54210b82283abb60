package dev.rebound.model.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A pod volume backed up by Velero's file-system backup (reference 6.2): what the backup's
 * PodVolumeBackup records about it, for the pod-volume-restore action and the PodVolumeRestore.
 *
 * @param volume the pod's volume name
 * @param snapshotId {@code status.snapshotID}
 * @param uploaderType {@code spec.uploaderType}: {@code restic} or {@code kopia} ("" reads as restic, as in Velero)
 * @param repoIdentifier {@code spec.repoIdentifier} (empty for kopia)
 * @param sourceNamespace the pod's namespace in the backup: its repository's namespace
 * @param snapshotSize {@code status.progress.totalBytes}
 * @param backupStorageLocation {@code spec.backupStorageLocation}
 * @param pvcUid the claim's uid when the volume is a PersistentVolumeClaim ({@code velero.io/pvc-uid} label), else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PodVolume(String volume, String snapshotId, String uploaderType, String repoIdentifier,
    String sourceNamespace, long snapshotSize, String backupStorageLocation, String pvcUid) {

  /** Whether Rebound can restore this volume's data: a restic snapshot (Velero's restic uploader). */
  public boolean restic() {
    return uploaderType == null || uploaderType.isEmpty() || uploaderType.equals("restic");
  }
}
