package dev.rebound.statusreporter.restores;

import dev.rebound.model.pipeline.RestoreEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Velero's restore volume info (reference 6.6), in its field order: one entry per PodVolumeRestore
 * of a claim's volume (Velero leaves other pod volumes out), per PersistentVolume restored from a
 * native snapshot and per claim provisioned from a restored CSI VolumeSnapshot.
 */
final class RestoreVolumeInfo {

  private RestoreVolumeInfo() {}

  static List<Map<String, Object>> entries(List<RestoreEvent.RestoredPodVolume> restored,
      List<RestoreEvent.RestoredVolume> fromSnapshots) {
    List<Map<String, Object>> entries = new ArrayList<>();
    for (RestoreEvent.RestoredPodVolume v : restored) {
      if (v.pvcName() == null) {
        continue;
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("pvcName", v.pvcName());
      entry.put("pvcNamespace", v.podNamespace());
      if (v.pvName() != null && !v.pvName().isEmpty()) {
        entry.put("pvName", v.pvName());
      }
      entry.put("restoreMethod", "PodVolumeRestore");
      entry.put("snapshotDataMoved", false);
      Map<String, Object> pvr = new LinkedHashMap<>();
      if (!v.snapshotId().isEmpty()) {
        pvr.put("snapshotHandle", v.snapshotId());
      }
      if (v.size() != 0) {
        pvr.put("size", v.size());
      }
      pvr.put("uploaderType", v.uploaderType());
      pvr.put("volumeName", v.volume());
      pvr.put("podName", v.podName());
      pvr.put("podNamespace", v.podNamespace());
      pvr.put("Phase", ""); // Velero's field without a JSON tag, never set for a restore
      entry.put("pvrInfo", pvr);
      entries.add(entry);
    }
    // Velero's order: pod volume restores, then native snapshots, then CSI snapshots.
    fromSnapshots.stream().filter(v -> v.method().equals("NativeSnapshot")).forEach(v -> entries.add(snapshot(v)));
    fromSnapshots.stream().filter(v -> v.method().equals("CSISnapshot")).forEach(v -> entries.add(snapshot(v)));
    return entries;
  }

  private static Map<String, Object> snapshot(RestoreEvent.RestoredVolume v) {
    Map<String, Object> entry = new LinkedHashMap<>();
    if (v.pvcName() != null && !v.pvcName().isEmpty()) {
      entry.put("pvcName", v.pvcName());
    }
    if (v.pvcNamespace() != null && !v.pvcNamespace().isEmpty()) {
      entry.put("pvcNamespace", v.pvcNamespace());
    }
    if (v.pvName() != null && !v.pvName().isEmpty()) {
      entry.put("pvName", v.pvName());
    }
    entry.put("restoreMethod", v.method());
    entry.put("snapshotDataMoved", false);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("snapshotHandle", v.snapshotHandle() == null ? "" : v.snapshotHandle());
    if (v.method().equals("CSISnapshot")) {
      info.put("size", v.size());
      info.put("driver", v.driver() == null ? "" : v.driver());
      info.put("vscName", v.vscName() == null ? "" : v.vscName());
      info.put("ReadyToUse", null); // Velero's field without a JSON tag, not set for a restore
      entry.put("csiSnapshotInfo", info);
    } else {
      info.put("volumeType", v.volumeType() == null ? "" : v.volumeType());
      info.put("volumeAZ", v.volumeAZ() == null ? "" : v.volumeAZ());
      info.put("iops", String.valueOf(v.iops() == null ? 0 : v.iops()));
      info.put("Phase", ""); // Velero's field without a JSON tag, not set for a restore
      entry.put("nativeSnapshotInfo", info);
    }
    return entry;
  }
}
