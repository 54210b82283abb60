package dev.rebound.itemrestorer.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Velero's {@code velero.io/csi-volumesnapshotcontent-restorer} (reference 6.3 step 4, {@code
 * csi/volumesnapshotcontent_action.go}): a VolumeSnapshotContent is restored as a pre-provisioned
 * content for the storage system's existing snapshot.
 *
 * <ul>
 *   <li>{@code restorePVs: false}: not restored (skipped).
 *   <li>Named like its VolumeSnapshot (SHA-256 of {@code <restore UID>/<snapshot name>}); {@code
 *       volumeSnapshotRef} names it, in the mapped namespace, without uid and resourceVersion;
 *       {@code deletionPolicy: Retain}, so deleting the restored snapshot never deletes the backup's
 *       data.
 *   <li>{@code source.snapshotHandle} is the backed-up {@code status.snapshotHandle} (required:
 *       else Velero's "fail to get snapshot handle from VSC {@code <name>} status"), {@code
 *       source.volumeHandle} cleared.
 *   <li>{@code volumeSnapshotClassName}: the first VolumeSnapshotClass of the target cluster with
 *       the same driver, else none.
 *   <li>The snapshotter secret of the {@code csi.storage.k8s.io/snapshotter-secret-name/-namespace}
 *       annotations is an additional item.
 * </ul>
 */
public final class CsiVolumeSnapshotContentAction implements RestoreItemAction {

  public static final String NAME = "velero.io/csi-volumesnapshotcontent-restorer";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(String groupResource) {
    return CsiSnapshots.VOLUME_SNAPSHOT_CONTENTS.equals(groupResource);
  }

  @Override
  public ActionOutput execute(ActionInput input) throws ActionException {
    if (CsiSnapshots.volumesNotRestored(input)) {
      return ActionOutput.skip(input.item());
    }
    ObjectNode vsc = input.item();
    ObjectNode spec = vsc.with("spec");
    ObjectNode ref = spec.with("volumeSnapshotRef");
    String refNamespace = ref.path("namespace").asText("");
    if (input.restore().namespaceMapping().containsKey(refNamespace)) {
      ref.put("namespace", input.restore().targetNamespace(refNamespace));
    }
    String name = CsiSnapshots.restoredName(input.restore().uid(),
        input.itemFromBackup().path("spec").path("volumeSnapshotRef").path("name").asText(""));
    vsc.with("metadata").put("name", name);
    ref.put("name", name);
    ref.remove(List.of("resourceVersion", "uid"));
    spec.put("deletionPolicy", "Retain");
    JsonNode handle = input.itemFromBackup().path("status").path("snapshotHandle");
    if (!handle.isTextual()) {
      throw new ActionException("fail to get snapshot handle from VSC " + name + " status");
    }
    ObjectNode source = spec.with("source");
    source.remove("volumeHandle");
    source.put("snapshotHandle", handle.asText());
    spec.remove("volumeSnapshotClassName");
    input.cluster().volumeSnapshotClassFor(spec.path("driver").asText(""))
        .ifPresent(c -> spec.put("volumeSnapshotClassName", c));
    List<ActionOutput.AdditionalItem> additional = new ArrayList<>();
    ActionOutput.AdditionalItem secret = CsiSnapshots.secret(vsc.path("metadata").path("annotations"),
        "csi.storage.k8s.io/snapshotter-secret-name", "csi.storage.k8s.io/snapshotter-secret-namespace");
    if (secret != null) {
      additional.add(secret);
    }
    return ActionOutput.of(vsc, additional);
  }
}
