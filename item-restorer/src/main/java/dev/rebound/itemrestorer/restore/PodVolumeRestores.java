package dev.rebound.itemrestorer.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.kube.ApiPath;
import dev.rebound.itemrestorer.kube.ApiResponse;
import dev.rebound.itemrestorer.kube.KubeApi;
import dev.rebound.itemrestorer.kube.Retrying;
import dev.rebound.model.Hashes;
import dev.rebound.model.Json;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.PodVolume;
import dev.rebound.model.velero.Labels;
import dev.rebound.model.velero.RestoreSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the PodVolumeRestores of a pod this restore created (reference 6.2), in the target
 * cluster's Velero namespace, in Velero's shape: the volume-restorer on the pod's node restores
 * each volume's data from them, and the coordinator waits for them to end.
 *
 * <p>Deliberate differences: the name looks like a generated one ({@code <restore>-<5 chars>}) but
 * is derived from the restore, pod and volume, so a redelivered pod makes no second
 * PodVolumeRestore; no owner reference points at the Restore, since the Restore is not an object in
 * the target cluster (the garbage collector would delete a PodVolumeRestore whose owner is missing).
 */
final class PodVolumeRestores {

  static final String RESTORE_UID = "velero.io/restore-uid";
  static final String POD_UID = "velero.io/pod-uid";
  static final String PVC_UID = "velero.io/pvc-uid";
  /** The characters Kubernetes draws generated name suffixes from. */
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private final KubeApi api;
  private final Retrying retrying;
  private final ApiPath path;

  PodVolumeRestores(KubeApi api, Retrying retrying, String veleroNamespace) {
    this.api = api;
    this.retrying = retrying;
    this.path = new ApiPath("velero.io", "v1", "podvolumerestores", veleroNamespace);
  }

  /**
   * One PodVolumeRestore per volume Rebound restores (restic); a volume of another uploader is a
   * Velero error of the restore. Failures are recorded in {@code outcome}.
   *
   * @return the names of the PodVolumeRestores that exist for the pod
   */
  List<String> create(ItemTask task, ObjectNode pod, Outcome outcome) {
    List<String> names = new ArrayList<>();
    String podNamespace = pod.path("metadata").path("namespace").asText();
    String podName = pod.path("metadata").path("name").asText();
    String podUid = pod.path("metadata").path("uid").asText();
    String restoreUid = task.context().uid();
    for (PodVolume volume : task.volume().podVolumes()) {
      if (!volume.restic()) {
        outcome.veleroError("pod volume restore failed: volume " + volume.volume() + " of pod " + podNamespace + "/"
            + podName + " was backed up with the " + volume.uploaderType() + " uploader, which Rebound cannot "
            + "restore yet (it restores restic backups)");
        continue;
      }
      String name = name(task.restore(), restoreUid + "/" + podUid + "/" + volume.volume());
      ObjectNode pvr = object(task, pod, volume, name, claimUid(pod, volume.volume()));
      byte[] body;
      try {
        body = Json.mapper().writeValueAsBytes(pvr);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ApiResponse created = retrying.call(() -> api.create(path, body));
      if (created.ok()) {
        names.add(name);
        outcome.log("Created PodVolumeRestore " + path.namespace() + "/" + name + " for volume " + volume.volume()
            + " of pod " + podNamespace + "/" + podName);
        continue;
      }
      if (created.code() == 409) {
        ApiResponse existing = retrying.call(() -> api.get(path, name));
        if (existing.ok() && restoreUid.equals(existing.object().path("metadata").path("labels").path(RESTORE_UID)
            .asText(null))) {
          names.add(name); // made by an earlier delivery of this pod
          continue;
        }
      }
      outcome.veleroError("pod volume restore failed: error creating PodVolumeRestore for volume " + volume.volume()
          + " of pod " + podNamespace + "/" + podName + ": " + created.message());
    }
    return names;
  }

  /** The restored claim's uid when the volume is a PersistentVolumeClaim of the pod, else null. */
  private String claimUid(ObjectNode pod, String volume) {
    for (JsonNode v : pod.path("spec").path("volumes")) {
      if (volume.equals(v.path("name").asText()) && v.path("persistentVolumeClaim").isObject()) {
        String claim = v.path("persistentVolumeClaim").path("claimName").asText();
        ApiResponse pvc = retrying.call(() -> api.get(new ApiPath("", "v1", "persistentvolumeclaims",
            pod.path("metadata").path("namespace").asText()), claim));
        return pvc.ok() ? pvc.object().path("metadata").path("uid").asText(null) : null;
      }
    }
    return null;
  }

  private ObjectNode object(ItemTask task, ObjectNode pod, PodVolume volume, String name, String pvcUid) {
    ObjectNode pvr = JsonNodeFactory.instance.objectNode();
    pvr.put("apiVersion", "velero.io/v1").put("kind", "PodVolumeRestore");
    ObjectNode meta = pvr.putObject("metadata");
    meta.put("name", name).put("generateName", prefix(task.restore())).put("namespace", path.namespace());
    ObjectNode labels = meta.putObject("labels");
    labels.put(Labels.RESTORE_NAME, Labels.validValue(task.restore()))
        .put(RESTORE_UID, task.context().uid())
        .put(POD_UID, pod.path("metadata").path("uid").asText());
    if (pvcUid != null) {
      labels.put(PVC_UID, pvcUid);
    }
    ObjectNode spec = pvr.putObject("spec");
    spec.putObject("pod").put("kind", "Pod").put("namespace", pod.path("metadata").path("namespace").asText())
        .put("name", pod.path("metadata").path("name").asText()).put("uid", pod.path("metadata").path("uid").asText());
    spec.put("volume", volume.volume()).put("backupStorageLocation", volume.backupStorageLocation())
        .put("repoIdentifier", volume.repoIdentifier()).put("uploaderType", "restic")
        .put("snapshotID", volume.snapshotId()).put("sourceNamespace", volume.sourceNamespace())
        .put("snapshotSize", volume.snapshotSize());
    RestoreSpec.UploaderConfig config = task.context().spec() == null ? null : task.context().spec().uploaderConfig();
    if (config != null) {
      // Velero's StoreRestoreConfig.
      ObjectNode settings = spec.putObject("uploaderSettings");
      settings.put("WriteSparseFiles", Boolean.toString(Boolean.TRUE.equals(config.writeSparseFiles())));
      if (config.parallelFilesDownload() != null && config.parallelFilesDownload() > 0) {
        settings.put("ParallelFilesDownload", Integer.toString(config.parallelFilesDownload()));
      }
    }
    pvr.putObject("status").put("phase", "New");
    return pvr;
  }

  /** {@code generateName} {@code <restore>-}, cut as the API server cuts a prefix (58 characters). */
  static String prefix(String restore) {
    String prefix = restore + "-";
    return prefix.length() > 58 ? prefix.substring(0, 58) : prefix;
  }

  /** A generated-looking name, the same for the same restore, pod and volume. */
  static String name(String restore, String seed) {
    byte[] digest = Hashes.sha256(seed);
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      suffix.append(ALPHABET.charAt((digest[i] & 0xff) % ALPHABET.length()));
    }
    return prefix(restore) + suffix;
  }
}
