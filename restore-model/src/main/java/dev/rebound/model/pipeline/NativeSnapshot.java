package dev.rebound.model.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A PersistentVolume's native snapshot as the backup's {@code <b>-volumesnapshots.json.gz} records
 * it (reference 6.1): what a VolumeSnapshotter needs to create a volume from it.
 *
 * @param location {@code spec.location}: the VolumeSnapshotLocation's name, looked up in the target
 *     cluster's Velero namespace
 * @param providerSnapshotId {@code status.providerSnapshotID}; null when the backup recorded none
 * @param volumeType {@code spec.volumeType}
 * @param volumeAZ {@code spec.volumeAZ}, or null
 * @param volumeIOPS {@code spec.volumeIOPS}, or null
 * @param phase {@code status.phase} ({@code New}, {@code Completed} or {@code Failed}), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NativeSnapshot(String location, String providerSnapshotId, String volumeType, String volumeAZ,
    Long volumeIOPS, String phase) {}
