package dev.rebound.statusreporter.restores;

import dev.rebound.model.pipeline.RestoreEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Velero's restore item operations file (reference 6.5, {@code restore-<r>-itemoperations.json.gz}):
 * one RestoreOperation per volume restore, in Velero's field order, with its capitalised {@code
 * resourceIdentifier} keys (a Go struct without JSON tags). Rebound's asynchronous operations are
 * the PodVolumeRestores of restored pods, listed under Velero's {@code velero.io/pod-volume-restore}
 * action and the pod they belong to; progress is in {@code Bytes}.
 */
final class RestoreItemOperations {

  static final String ACTION = "velero.io/pod-volume-restore";

  private RestoreItemOperations() {}

  static List<Map<String, Object>> entries(String restore, String restoreUid,
      List<RestoreEvent.VolumeOperation> operations) {
    List<Map<String, Object>> entries = new ArrayList<>();
    for (RestoreEvent.VolumeOperation op : operations) {
      Map<String, Object> id = new LinkedHashMap<>();
      id.put("Group", "");
      id.put("Resource", "pods");
      id.put("Namespace", op.podNamespace());
      id.put("Name", op.podName());
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("restoreName", restore);
      spec.put("restoreUID", restoreUid == null ? "" : restoreUid);
      spec.put("restoreItemAction", ACTION);
      spec.put("resourceIdentifier", id);
      spec.put("operationID", op.operationId());
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("phase", op.phase());
      if (op.error() != null && !op.error().isEmpty()) {
        status.put("error", op.error());
      }
      if (op.bytesDone() != 0) {
        status.put("nCompleted", op.bytesDone());
      }
      if (op.totalBytes() != 0) {
        status.put("nTotal", op.totalBytes());
      }
      status.put("operationUnits", "Bytes");
      if (op.volume() != null) {
        status.put("description", "volume " + op.volume());
      }
      status.put("created", op.created() == null ? null : op.created().toString());
      if (op.started() != null) {
        status.put("started", op.started().toString());
      }
      if (op.updated() != null) {
        status.put("updated", op.updated().toString());
      }
      status.values().removeIf(java.util.Objects::isNull);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("spec", spec);
      entry.put("status", status);
      entries.add(entry);
    }
    return entries;
  }
}
