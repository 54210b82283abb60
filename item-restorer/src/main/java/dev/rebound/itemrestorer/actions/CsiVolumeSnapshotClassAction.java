package dev.rebound.itemrestorer.actions;

import java.util.List;

/**
 * Velero's {@code velero.io/csi-volumesnapshotclass-restorer} (reference 4, {@code
 * csi/volumesnapshotclass_action.go}): with {@code restorePVs: false} a VolumeSnapshotClass is not
 * restored; otherwise it is, after the lister secret its {@code
 * csi.storage.k8s.io/snapshotter-list-secret-name/-namespace} annotations name.
 */
public final class CsiVolumeSnapshotClassAction implements RestoreItemAction {

  public static final String NAME = "velero.io/csi-volumesnapshotclass-restorer";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return CsiSnapshots.VOLUME_SNAPSHOT_CLASSES.equals(groupResource);
  }

  @Override
  public ActionOutput execute(ActionInput input) {
    if (CsiSnapshots.volumesNotRestored(input)) {
      return ActionOutput.skip(input.item());
    }
    ActionOutput.AdditionalItem secret = CsiSnapshots.secret(input.item().path("metadata").path("annotations"),
        "csi.storage.k8s.io/snapshotter-list-secret-name", "csi.storage.k8s.io/snapshotter-list-secret-namespace");
    return ActionOutput.of(input.item(), secret == null ? List.of() : List.of(secret));
  }
}
