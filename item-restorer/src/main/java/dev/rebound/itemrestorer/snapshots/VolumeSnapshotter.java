package dev.rebound.itemrestorer.snapshots;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A provider of native volume snapshots, with the contract of Velero's {@code VolumeSnapshotter}
 * plugins as a restore uses them (reference 6.1). One instance serves one VolumeSnapshotLocation:
 * {@link #init} is called once with that location's config before any other method.
 */
public interface VolumeSnapshotter {

  /**
   * @param config the VolumeSnapshotLocation's {@code spec.config}, plus {@code credentialsFile}
   *     (a path) when the location names a credential Secret, as Velero passes it
   */
  void init(Map<String, String> config) throws SnapshotterException;

  /**
   * Creates a volume from the snapshot and returns its ID once the provider reports it usable.
   *
   * @param volumeAZ null when the backup recorded none
   * @param iops null when the backup recorded none
   * @param requestToken the same for every delivery of this volume of this restore, and only for
   *     it (64 hex digits); a provider that can create idempotently uses it, so a redelivered item
   *     gets the volume of the first delivery instead of a second one (Velero's contract has none)
   */
  String createVolumeFromSnapshot(String snapshotId, String volumeType, String volumeAZ, Long iops,
      String requestToken) throws SnapshotterException;

  /** The PersistentVolume pointed at {@code volumeId}; the provider may also rename it. */
  ObjectNode setVolumeId(ObjectNode pv, String volumeId) throws SnapshotterException;
}
