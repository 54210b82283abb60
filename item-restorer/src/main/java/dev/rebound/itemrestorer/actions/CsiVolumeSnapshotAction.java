package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Velero's {@code velero.io/csi-volumesnapshot-restorer} (reference 6.3 step 3, {@code
 * csi/volumesnapshot_action.go}): a VolumeSnapshot is restored statically bound to the
 * VolumeSnapshotContent restored with it, under a name unique to the restore.
 *
 * <ul>
 *   <li>{@code restorePVs: false}: not restored (skipped).
 *   <li>Named the SHA-256 of {@code <restore UID>/<name>}; {@code spec.source} is that same name as
 *       {@code volumeSnapshotContentName} instead of the backed-up claim; {@code
 *       volumeSnapshotClassName} cleared; annotation {@code velero.io/csi-vsc-deletion-policy:
 *       Retain}.
 *   <li>The backed-up snapshot must be bound ({@code status.boundVolumeSnapshotContentName}), else
 *       the item fails with Velero's "VS {@code <name>} doesn't have bound VSC"; the bound content is
 *       an additional item.
 * </ul>
 *
 * <p>Not done: Velero's stub VolumeGroupSnapshotContent for snapshots taken in a volume group
 * (v1beta2 objects our test clusters cannot serve); such a snapshot is restored like any other.
 */
public final class CsiVolumeSnapshotAction implements RestoreItemAction {

  public static final String NAME = "velero.io/csi-volumesnapshot-restorer";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return CsiSnapshots.VOLUME_SNAPSHOTS.equals(groupResource);
  }

  @Override
  public ActionOutput execute(ActionInput input) throws ActionException {
    if (CsiSnapshots.volumesNotRestored(input)) {
      return ActionOutput.skip(input.item());
    }
    ObjectNode vs = input.item();
    String backedUpName = input.itemFromBackup().path("metadata").path("name").asText("");
    String restored = CsiSnapshots.restoredName(input.restore().uid(), backedUpName);
    ObjectNode source = vs.with("spec").with("source");
    source.remove("persistentVolumeClaimName");
    source.put("volumeSnapshotContentName", restored);
    vs.with("metadata").put("name", restored);
    vs.with("metadata").with("annotations").put(CsiSnapshots.VSC_DELETION_POLICY, "Retain");
    vs.with("spec").remove("volumeSnapshotClassName");
    String bound = input.itemFromBackup().path("status").path("boundVolumeSnapshotContentName").asText("");
    if (bound.isEmpty()) {
      throw new ActionException("VS " + backedUpName + " doesn't have bound VSC");
    }
    return ActionOutput.of(vs, List.of(new ActionOutput.AdditionalItem(CsiSnapshots.VOLUME_SNAPSHOT_CONTENTS, "",
        bound)));
  }
}
