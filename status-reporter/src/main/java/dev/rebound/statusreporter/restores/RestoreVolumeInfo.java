package dev.rebound.statusreporter.restores;

import dev.rebound.model.pipeline.RestoreEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Velero's restore volume info (reference 6.6), in its field order, built from what a restore's
 * ended PodVolumeRestores restored: one entry per PodVolumeRestore of a claim's volume (Velero
 * leaves other pod volumes out).
 */
final class RestoreVolumeInfo {

  private RestoreVolumeInfo() {}

  static List<Map<String, Object>> entries(List<RestoreEvent.RestoredPodVolume> restored) {
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
    return entries;
  }
}
