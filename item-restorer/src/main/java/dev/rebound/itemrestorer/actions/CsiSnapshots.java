package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.Hashes;

/** What Velero's CSI restore item actions share (reference 6.3, {@code pkg/restore/actions/csi}). */
final class CsiSnapshots {

  static final String GROUP = "snapshot.storage.k8s.io";
  static final String VOLUME_SNAPSHOTS = "volumesnapshots." + GROUP;
  static final String VOLUME_SNAPSHOT_CONTENTS = "volumesnapshotcontents." + GROUP;
  static final String VOLUME_SNAPSHOT_CLASSES = "volumesnapshotclasses." + GROUP;
  /** On a backed-up claim: the VolumeSnapshot its data is in. */
  static final String VOLUME_SNAPSHOT_NAME = "velero.io/volume-snapshot-name";
  /** On a backed-up claim whose snapshot data was moved (data mover, reference 6.4). */
  static final String DATA_UPLOAD_NAME = "velero.io/data-upload-name";
  static final String VSC_DELETION_POLICY = "velero.io/csi-vsc-deletion-policy";

  private CsiSnapshots() {}

  /**
   * Velero's {@code GenerateSha256FromRestoreUIDAndVsName}: the name a restored VolumeSnapshot and
   * its VolumeSnapshotContent share, unique per restore so two restores of one backup never clash.
   */
  static String restoredName(String restoreUid, String volumeSnapshotName) {
    return Hashes.sha256Hex(restoreUid + "/" + volumeSnapshotName);
  }

  /** {@code restorePVs} set to false: snapshots are not restored. */
  static boolean volumesNotRestored(ActionInput input) {
    return input.restore().spec() != null && Boolean.FALSE.equals(input.restore().spec().restorePVs());
  }

  /** A secret named by a pair of annotations, as an additional item; null unless both are set. */
  static ActionOutput.AdditionalItem secret(JsonNode annotations, String nameKey, String namespaceKey) {
    String name = annotations.path(nameKey).asText("");
    String namespace = annotations.path(namespaceKey).asText("");
    return name.isEmpty() || namespace.isEmpty() ? null : new ActionOutput.AdditionalItem("secrets", namespace, name);
  }
}
