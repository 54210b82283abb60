package dev.rebound.coordinator.plan;

import dev.rebound.model.pipeline.PersistentVolumePatch;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.pipeline.NativeSnapshot;
import dev.rebound.model.pipeline.PodVolume;
import dev.rebound.model.pipeline.VolumeHint.PersistentVolumeAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How each PersistentVolume of a backup is restored (reference 3.7), decided from the backup's
 * volume files: {@code <b>-volumeinfo.json.gz} when it has an entry for the PV (Velero 1.13+),
 * else Velero's legacy checks on {@code -volumesnapshots.json.gz}, {@code -podvolumebackups.json.gz}
 * and {@code -csi-volumesnapshots.json.gz}.
 *
 * <p>Deliberate difference: Velero's legacy check reads pod volume backups from the cluster (where
 * its backup sync put them); Rebound reads the backup's own file, which holds the same objects.
 * Velero's data-mover check (a DataUpload result ConfigMap of this restore) comes with volume
 * restores.
 */
public final class VolumeDecisions {

  private final Map<String, String> backupMethods;
  private final Map<String, NativeSnapshot> nativeSnapshots;
  private final Set<String> podVolumeBackupClaims;
  private final Set<String> csiSnapshotClaims;
  private final Map<String, List<PodVolume>> podVolumes;
  private final List<PersistentVolumePatch> pvPatches;

  private VolumeDecisions(Map<String, String> backupMethods, Map<String, NativeSnapshot> nativeSnapshots,
      Set<String> podVolumeBackupClaims, Set<String> csiSnapshotClaims, Map<String, List<PodVolume>> podVolumes,
      List<PersistentVolumePatch> pvPatches) {
    this.pvPatches = List.copyOf(pvPatches);
    this.backupMethods = backupMethods;
    this.nativeSnapshots = nativeSnapshots;
    this.podVolumeBackupClaims = podVolumeBackupClaims;
    this.csiSnapshotClaims = csiSnapshotClaims;
    this.podVolumes = podVolumes;
  }

  /** A backup without volume files: every PV goes by its reclaim policy. */
  public static VolumeDecisions none() {
    return new VolumeDecisions(Map.of(), Map.of(), Set.of(), Set.of(), Map.of(), List.of());
  }

  /**
   * @param volumeInfo the array of BackupVolumeInfo ({@code pvName}, {@code backupMethod})
   * @param volumeSnapshots the array of native snapshot records ({@code spec.persistentVolumeName})
   * @param podVolumeBackups the array of PodVolumeBackups ({@code spec.pod.namespace}, annotation
   *     {@code velero.io/pvc-name})
   * @param csiVolumeSnapshots the array of VolumeSnapshots ({@code metadata.namespace},
   *     {@code spec.source.persistentVolumeClaimName})
   */
  public static VolumeDecisions of(Optional<JsonNode> volumeInfo, Optional<JsonNode> volumeSnapshots,
      Optional<JsonNode> podVolumeBackups, Optional<JsonNode> csiVolumeSnapshots) {
    Map<String, String> methods = new HashMap<>();
    List<PersistentVolumePatch> patches = new ArrayList<>();
    volumeInfo.ifPresent(list -> list.forEach(v -> {
      if (v.hasNonNull("pvName")) {
        methods.put(v.get("pvName").asText(), v.path("backupMethod").asText(""));
      }
      String method = v.path("backupMethod").asText("");
      JsonNode pvInfo = v.path("pvInfo");
      if ((method.equals("PodVolumeBackup") || method.equals("CSISnapshot")) && pvInfo.isObject()
          && v.hasNonNull("pvcName")) {
        Map<String, String> labels = new java.util.TreeMap<>();
        pvInfo.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        patches.add(new PersistentVolumePatch(v.path("pvcNamespace").asText(""), v.get("pvcName").asText(),
            v.path("pvName").asText(""), pvInfo.path("reclaimPolicy").asText(""), labels));
      }
    }));
    // Velero's getSnapshotInfo takes the first record of the PV's name.
    Map<String, NativeSnapshot> snapshots = new HashMap<>();
    volumeSnapshots.ifPresent(list -> list.forEach(s ->
        snapshots.putIfAbsent(s.path("spec").path("persistentVolumeName").asText(), snapshot(s))));
    Set<String> pvbClaims = new HashSet<>();
    Map<String, List<PodVolume>> pods = new HashMap<>();
    podVolumeBackups.ifPresent(list -> list.forEach(p -> {
      podVolume(p).ifPresent(v -> pods.computeIfAbsent(p.path("spec").path("pod").path("namespace").asText("") + "/"
          + p.path("spec").path("pod").path("name").asText(""), k -> new ArrayList<>()).add(v));
      String pvc = p.path("metadata").path("annotations").path("velero.io/pvc-name").asText(null);
      if (pvc != null) {
        pvbClaims.add(p.path("spec").path("pod").path("namespace").asText("") + "/" + pvc);
      }
    }));
    Set<String> csiClaims = new HashSet<>();
    csiVolumeSnapshots.ifPresent(list -> list.forEach(vs -> {
      JsonNode pvc = vs.path("spec").path("source").path("persistentVolumeClaimName");
      if (pvc.isTextual()) {
        csiClaims.add(vs.path("metadata").path("namespace").asText("") + "/" + pvc.asText());
      }
    }));
    return new VolumeDecisions(methods, snapshots, pvbClaims, csiClaims, pods, patches);
  }

  /** Reference 6.3 step 6: the re-provisioned volumes whose reclaim policy and labels come back after binding. */
  public List<PersistentVolumePatch> persistentVolumePatches() {
    return pvPatches;
  }

  /** The decision for one backed-up PersistentVolume. */
  public PersistentVolumeAction decide(JsonNode pv) {
    String name = pv.path("metadata").path("name").asText();
    JsonNode claimRef = pv.path("spec").path("claimRef");
    String claim = claimRef.isObject()
        ? claimRef.path("namespace").asText("") + "/" + claimRef.path("name").asText("") : null;
    String method = backupMethods.get(name);
    if (method != null) {
      return switch (method) {
        case "NativeSnapshot" -> PersistentVolumeAction.SNAPSHOT;
        case "PodVolumeBackup" -> PersistentVolumeAction.PROVISION_FOR_POD_VOLUME;
        case "CSISnapshot" -> PersistentVolumeAction.PROVISION;
        default -> byReclaimPolicy(pv);
      };
    }
    if (nativeSnapshots.containsKey(name)) {
      return PersistentVolumeAction.SNAPSHOT;
    }
    if (claim != null && podVolumeBackupClaims.contains(claim)) {
      return PersistentVolumeAction.PROVISION_FOR_POD_VOLUME;
    }
    if (claim != null && csiSnapshotClaims.contains(claim)) {
      return PersistentVolumeAction.PROVISION;
    }
    return byReclaimPolicy(pv);
  }

  /**
   * The native snapshot record of the PersistentVolume {@code pvName} (reference 6.1), empty when
   * the backup's snapshot file has none.
   */
  public Optional<NativeSnapshot> snapshot(String pvName) {
    return Optional.ofNullable(nativeSnapshots.get(pvName));
  }

  /**
   * Reference 6.2: the volumes of the backed-up pod {@code <namespace>/<name>} whose file-system
   * backup has a snapshot, in the order of the backup's PodVolumeBackups.
   */
  public List<PodVolume> podVolumes(String namespace, String pod) {
    return podVolumes.getOrDefault(namespace + "/" + pod, List.of());
  }

  /** A PodVolumeBackup with a snapshot ID as the volume to restore; empty without one (Velero skips those). */
  private static Optional<PodVolume> podVolume(JsonNode pvb) {
    String snapshotId = pvb.path("status").path("snapshotID").asText("");
    if (snapshotId.isEmpty()) {
      return Optional.empty();
    }
    JsonNode spec = pvb.path("spec");
    return Optional.of(new PodVolume(spec.path("volume").asText(""), snapshotId, spec.path("uploaderType").asText(""),
        spec.path("repoIdentifier").asText(""), spec.path("pod").path("namespace").asText(""),
        pvb.path("status").path("progress").path("totalBytes").asLong(0), spec.path("backupStorageLocation").asText(""),
        text(pvb.path("metadata").path("labels").path("velero.io/pvc-uid"))));
  }

  private static NativeSnapshot snapshot(JsonNode record) {
    JsonNode spec = record.path("spec");
    JsonNode status = record.path("status");
    return new NativeSnapshot(spec.path("location").asText(""), text(status.path("providerSnapshotID")),
        spec.path("volumeType").asText(""), text(spec.path("volumeAZ")),
        spec.path("volumeIOPS").canConvertToLong() ? spec.path("volumeIOPS").asLong() : null,
        text(status.path("phase")));
  }

  private static String text(JsonNode node) {
    return node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
  }

  /** No data backed up: re-provisioned when its reclaim policy is Delete, else restored as-is. */
  private static PersistentVolumeAction byReclaimPolicy(JsonNode pv) {
    return "Delete".equals(pv.path("spec").path("persistentVolumeReclaimPolicy").asText())
        ? PersistentVolumeAction.PROVISION : PersistentVolumeAction.AS_IS;
  }
}
