package dev.rebound.itemrestorer.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.actions.ActionInput;
import dev.rebound.itemrestorer.kube.ApiPath;
import dev.rebound.itemrestorer.kube.ApiResponse;
import dev.rebound.itemrestorer.kube.KubeApi;
import dev.rebound.itemrestorer.kube.Retrying;
import dev.rebound.itemrestorer.prepare.PersistentVolumes;
import dev.rebound.itemrestorer.snapshots.SnapshotterException;
import dev.rebound.itemrestorer.snapshots.VolumeSnapshotter;
import dev.rebound.itemrestorer.snapshots.VolumeSnapshotters;
import dev.rebound.model.Hashes;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.NativeSnapshot;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.model.pipeline.VolumeHint;
import dev.rebound.model.velero.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reference 3.7 and 6.1: how a PersistentVolume is restored, as the coordinator decided from the
 * backup's volume files, including its volume created from a native snapshot.
 *
 * <p>A PV backed by a native snapshot is never created pointing at the backed-up volume: it is
 * created only after a VolumeSnapshotter made a volume from the snapshot and pointed the PV at it;
 * when none can (no snapshot record, no VolumeSnapshotLocation, no snapshotter for its provider,
 * a provider error) the item fails with Velero's error and the PV is not created. The one
 * exception is Velero's: with {@code restorePVs: false} the PV is created unchanged, and Rebound
 * adds a warning saying it points at the backed-up volume.
 */
final class PersistentVolumeRestore {

  static final String PERSISTENT_VOLUMES = "persistentvolumes";
  private static final ApiPath PV_PATH = new ApiPath("", "v1", PERSISTENT_VOLUMES, null);
  private static final String VSL_RESOURCE = "volumesnapshotlocations";

  private final KubeApi api;
  private final Retrying retrying;
  private final ItemRestore.Waits waits;
  private final Retrying.Sleeper sleeper;
  private final Clock clock;
  private final String veleroNamespace;
  private final VolumeSnapshotters snapshotters;

  PersistentVolumeRestore(KubeApi api, Retrying retrying, ItemRestore.Waits waits, Retrying.Sleeper sleeper,
      Clock clock, String veleroNamespace, VolumeSnapshotters snapshotters) {
    this.api = api;
    this.retrying = retrying;
    this.waits = waits;
    this.sleeper = sleeper;
    this.clock = clock;
    this.veleroNamespace = veleroNamespace;
    this.snapshotters = snapshotters;
  }

  /** False when the PV is not created (re-provisioned, or an error, recorded in {@code outcome}). */
  boolean restore(ItemTask task, ObjectNode pv, ActionInput.RestoreInfo info, Outcome outcome)
      throws InterruptedException {
    String name = task.key().name();
    Map<String, String> mapping = info.namespaceMapping();
    VolumeHint hint = task.volume();
    VolumeHint.PersistentVolumeAction how = hint == null || hint.persistentVolume() == null
        ? VolumeHint.PersistentVolumeAction.AS_IS : hint.persistentVolume();
    switch (how) {
      case PROVISION, PROVISION_FOR_POD_VOLUME -> {
        outcome.log("Dynamically re-provisioning persistent volume " + name + ": its data is restored into a new "
            + "volume (pod volume backup or CSI snapshot), or it has none and its reclaim policy is Delete.");
        return false;
      }
      case AS_IS -> {
        outcome.log("Restoring persistent volume as-is because it doesn't have a snapshot and its reclaim policy is "
            + "not Delete.");
        PersistentVolumes.remapClaimRef(pv, mapping);
        PersistentVolumes.resetBinding(pv);
        return true;
      }
      default -> {
        return fromSnapshot(task, pv, info, hint.snapshot(), outcome);
      }
    }
  }

  /** Velero's {@code handlePVHasNativeSnapshot} (3.7, native snapshot path). */
  private boolean fromSnapshot(ItemTask task, ObjectNode pv, ActionInput.RestoreInfo info, NativeSnapshot snapshot,
      Outcome outcome) throws InterruptedException {
    String name = task.key().name();
    Map<String, String> mapping = info.namespaceMapping();
    // A PV this restore created (an earlier delivery of the item), under its own name or its clone
    // name: neither a second volume made nor waited for; the create below finds it ours.
    if (ours(task, name)) {
      PersistentVolumes.remapClaimRef(pv, mapping);
      PersistentVolumes.resetBinding(pv);
      tracked(pv, snapshot, outcome);
      return true;
    }
    // Renamed when a PV of its name exists and its claim's namespace is mapped.
    boolean rename = false;
    if (PersistentVolumes.renameCandidate(pv, mapping)) {
      ApiResponse existing = retrying.call(() -> api.get(PV_PATH, name));
      if (existing.ok()) {
        rename = true;
      } else if (existing.code() != 404) {
        outcome.error("error checking if persistent volume exists in the cluster: " + existing.message());
        return false;
      }
    }
    PersistentVolumes.remapClaimRef(pv, mapping);
    String clone = PersistentVolumes.cloneName(info.uid(), name);
    if (rename && ours(task, clone)) {
      PersistentVolumes.resetBinding(pv);
      PersistentVolumes.rename(pv, clone);
      tracked(pv, snapshot, outcome);
      return true;
    }
    boolean restoreSnapshot = rename;
    if (!rename) {
      Boolean absent = noVolumeInTheWay(name, outcome);
      if (absent == null) {
        return false;
      }
      restoreSnapshot = absent;
    }
    if (restoreSnapshot) {
      PersistentVolumes.resetBinding(pv);
      outcome.log("Restoring persistent volume from snapshot.");
      String pvAction = "error executing PVAction for " + PERSISTENT_VOLUMES + "/" + name + ": ";
      if (Boolean.FALSE.equals(info.spec() == null ? null : info.spec().restorePVs())) {
        outcome.warning("persistent volume " + name + " is restored pointing at its backed-up volume: restorePVs is "
            + "false, so its snapshot was not restored");
      } else {
        Optional<String> error = createVolume(info.uid(), name, pv, snapshot, outcome);
        if (error.isPresent()) {
          outcome.error(pvAction + error.get());
          return false;
        }
        if (!name.equals(pv.path("metadata").path("name").asText())) {
          // The snapshotter renamed it (Velero then keeps the plugin's name).
          String chosen = pv.path("metadata").path("name").asText();
          pv.with("metadata").put("name", name);
          PersistentVolumes.rename(pv, chosen);
          tracked(pv, snapshot, outcome);
          return true;
        }
        if (rename) {
          PersistentVolumes.rename(pv, clone);
        }
        tracked(pv, snapshot, outcome);
        return true;
      }
    }
    if (rename) {
      PersistentVolumes.rename(pv, clone);
    }
    return true;
  }

  /** Velero's {@code TrackNativeSnapshot}: the PV (under its final name) and its claim, for the volume info file. */
  private static void tracked(ObjectNode pv, NativeSnapshot snapshot, Outcome outcome) {
    if (snapshot == null) {
      return;
    }
    JsonNode claim = pv.path("spec").path("claimRef");
    outcome.restoredVolume = RestoreEvent.RestoredVolume.nativeSnapshot(pv.path("metadata").path("name").asText(),
        claim.path("name").asText(null), claim.path("namespace").asText(null), snapshot.providerSnapshotId(),
        snapshot.volumeType(), snapshot.volumeAZ(), snapshot.volumeIOPS());
  }

  /**
   * Velero's {@code executePVAction} after {@code restorePVs}: the snapshot record, its
   * VolumeSnapshotLocation in the target's Velero namespace (with its credential), the
   * snapshotter for the location's provider, the new volume and the PV pointed at it.
   *
   * @return the error, without the {@code error executing PVAction} prefix, when the PV must not be created
   */
  private Optional<String> createVolume(String restoreUid, String name, ObjectNode pv, NativeSnapshot snapshot, Outcome outcome) {
    if (snapshot == null) {
      // Velero would create the PV unchanged here ("No snapshot found for persistent volume"),
      // pointing at the backed-up volume; Rebound refuses (a deliberate difference).
      return Optional.of("the backup records a native snapshot for persistent volume " + name + " but its "
          + "volume snapshots file has no snapshot of it; the persistent volume is not created, since it would "
          + "point at the backed-up volume");
    }
    ApiPath locations = new ApiPath("velero.io", "v1", VSL_RESOURCE, veleroNamespace);
    ApiResponse location = retrying.call(() -> api.get(locations, snapshot.location()));
    if (!location.ok()) {
      return Optional.of(location.message());
    }
    JsonNode spec = location.object().path("spec");
    String provider = spec.path("provider").asText("");
    Map<String, String> config = new LinkedHashMap<>();
    spec.path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
    if (spec.path("credential").isObject()) {
      try {
        config.put("credentialsFile", credentialsFile(spec.path("credential")));
      } catch (CredentialException e) {
        return Optional.of("unable to get credentials: " + e.getMessage());
      }
    }
    Optional<VolumeSnapshotter> found = snapshotters.get(provider);
    if (found.isEmpty()) {
      return Optional.of("unable to get valid VolumeSnapshotter for \"" + VolumeSnapshotters.qualified(provider)
          + "\"");
    }
    VolumeSnapshotter snapshotter = found.get();
    try {
      snapshotter.init(config);
      if (snapshot.providerSnapshotId() == null) {
        return Optional.of("the backup recorded no provider snapshot ID for persistent volume " + name
            + (snapshot.phase() == null ? "" : " (snapshot phase " + snapshot.phase() + ")"));
      }
      String volumeId = snapshotter.createVolumeFromSnapshot(snapshot.providerSnapshotId(), snapshot.volumeType(),
          snapshot.volumeAZ(), snapshot.volumeIOPS(), Hashes.sha256Hex(restoreUid + "/" + name));
      outcome.log("successfully restored persistent volume from snapshot " + snapshot.providerSnapshotId());
      ObjectNode updated = snapshotter.setVolumeId(pv, volumeId);
      if (updated != pv) {
        pv.removeAll();
        pv.setAll(updated);
      }
      return Optional.empty();
    } catch (SnapshotterException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static final class CredentialException extends Exception {
    CredentialException(String message) {
      super(message);
    }
  }

  /**
   * Velero's credential file store: the VolumeSnapshotLocation's {@code spec.credential} Secret key,
   * from the Velero namespace, written to a file readable by this process only.
   */
  private String credentialsFile(JsonNode selector) throws CredentialException {
    String secretName = selector.path("name").asText("");
    String key = selector.path("key").asText("");
    ApiResponse secret = retrying.call(() -> api.get(new ApiPath("", "v1", "secrets", veleroNamespace), secretName));
    if (!secret.ok()) {
      throw new CredentialException("unable to get key for secret: " + secret.message());
    }
    JsonNode value = secret.object().path("data").path(key);
    if (!value.isTextual()) {
      throw new CredentialException("unable to get key for secret: \"" + secretName + "\" secret is missing data "
          + "for key \"" + key + "\"");
    }
    try {
      Path file = Files.createTempFile("rebound-" + secretName + "-" + key + "-", "",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      file.toFile().deleteOnExit();
      Files.write(file, Base64.getDecoder().decode(value.asText()));
      return file.toString();
    } catch (IOException | IllegalArgumentException e) {
      throw new CredentialException("unable to write credentials to store: " + e.getMessage());
    }
  }

  /** Whether a PV of that name exists and carries this restore's label. */
  private boolean ours(ItemTask task, String name) {
    ApiResponse existing = retrying.call(() -> api.get(PV_PATH, name));
    return existing.ok() && Labels.validValue(task.restore()).equals(existing.object().path("metadata")
        .path("labels").path(Labels.RESTORE_NAME).asText(null));
  }

  /**
   * Velero's {@code shouldRestore} (3.7 step 3): waits while a PV of that name is released or being
   * deleted, or its claim or the claim's namespace is missing or being deleted. True when there is
   * no such PV (restore the snapshot), false when a healthy one is there (the create then finds it
   * existing), null after an error (recorded).
   */
  private Boolean noVolumeInTheWay(String name, Outcome outcome) throws InterruptedException {
    Instant deadline = clock.instant().plus(waits.terminatingResourceTimeout());
    while (true) {
      ApiResponse pv = retrying.call(() -> api.get(PV_PATH, name));
      if (pv.code() == 404) {
        return true;
      }
      if (!pv.ok()) {
        outcome.error("error waiting on in-cluster persistentvolume " + name + ": could not retrieve in-cluster "
            + "copy of PV " + name + ": " + pv.message());
        return null;
      }
      if (!waitForVolume(pv.object())) {
        return false;
      }
      if (!clock.instant().isBefore(deadline)) {
        outcome.error("error waiting on in-cluster persistentvolume " + name + ": context deadline exceeded");
        return null;
      }
      sleeper.sleep(waits.pollInterval());
    }
  }

  /** Whether an existing PV, its claim or the claim's namespace is on its way out. */
  private boolean waitForVolume(ObjectNode pv) {
    if ("Released".equals(pv.path("status").path("phase").asText())
        || pv.path("metadata").hasNonNull("deletionTimestamp")) {
      return true;
    }
    JsonNode claimRef = pv.path("spec").path("claimRef");
    if (!claimRef.isObject()) {
      return false;
    }
    String namespace = claimRef.path("namespace").asText("");
    ApiResponse pvc = retrying.call(() -> api.get(new ApiPath("", "v1", "persistentvolumeclaims", namespace),
        claimRef.path("name").asText("")));
    if (pvc.code() == 404 || (pvc.ok() && pvc.object().path("metadata").hasNonNull("deletionTimestamp"))) {
      return true;
    }
    ApiResponse ns = retrying.call(() -> api.get(new ApiPath("", "v1", ItemRestore.NAMESPACES, null), namespace));
    return ns.code() == 404 || (ns.ok() && NamespaceRestore.terminating(ns.object()));
  }
}
