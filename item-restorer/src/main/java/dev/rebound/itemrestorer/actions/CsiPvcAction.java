package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Velero's {@code velero.io/csi-pvc-restorer} (reference 6.3 step 2, {@code csi/pvc_action.go}):
 * a claim whose backup took a CSI snapshot is provisioned from that snapshot.
 *
 * <ul>
 *   <li>A claim of that name already in the target namespace: left as it is.
 *   <li>{@code restorePVs: false}: {@code volumeName}, {@code dataSource} and {@code dataSourceRef}
 *       cleared, so the claim gets a new empty volume.
 *   <li>The backed-up claim's {@code velero.io/volume-snapshot-name} annotation names its
 *       VolumeSnapshot: {@code dataSource} points at the restored snapshot (its name the SHA-256
 *       of {@code <restore UID>/<snapshot>}, as the snapshot action names it), {@code
 *       dataSourceRef} and {@code volumeName} cleared, and the snapshot is an additional item.
 * </ul>
 *
 * <p>Deliberate difference: Velero reads the Backup object to decide on the data mover; a claim
 * whose backed-up copy carries {@code velero.io/data-upload-name} is the data mover's, which
 * Rebound does not restore yet, so it is left as it is (its volume is re-provisioned, with the
 * warning that its data was not restored).
 */
public final class CsiPvcAction implements RestoreItemAction {

  public static final String NAME = "velero.io/csi-pvc-restorer";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return "persistentvolumeclaims".equals(groupResource);
  }

  @Override
  public ActionOutput execute(ActionInput input) throws ActionException {
    ObjectNode pvc = input.item();
    String namespace = pvc.path("metadata").path("namespace").asText("");
    String name = pvc.path("metadata").path("name").asText("");
    if (input.cluster().claimExists(input.restore().targetNamespace(namespace), name)) {
      return ActionOutput.of(pvc);
    }
    ObjectNode spec = pvc.with("spec");
    if (CsiSnapshots.volumesNotRestored(input)) {
      spec.remove(List.of("volumeName", "dataSource", "dataSourceRef"));
      return ActionOutput.of(pvc);
    }
    var annotations = input.itemFromBackup().path("metadata").path("annotations");
    if (annotations.has(CsiSnapshots.DATA_UPLOAD_NAME) || !annotations.path(CsiSnapshots.VOLUME_SNAPSHOT_NAME).isTextual()) {
      return ActionOutput.of(pvc);
    }
    String snapshot = annotations.path(CsiSnapshots.VOLUME_SNAPSHOT_NAME).asText();
    spec.remove(List.of("volumeName", "dataSourceRef"));
    spec.putObject("dataSource")
        .put("apiGroup", CsiSnapshots.GROUP)
        .put("kind", "VolumeSnapshot")
        .put("name", CsiSnapshots.restoredName(input.restore().uid(), snapshot));
    return ActionOutput.of(pvc, List.of(new ActionOutput.AdditionalItem(CsiSnapshots.VOLUME_SNAPSHOTS, namespace,
        snapshot)));
  }
}
