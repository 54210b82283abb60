package dev.rebound.coordinator.plan;

import dev.rebound.model.pipeline.PersistentVolumePatch;
import dev.rebound.model.velero.Result;
import dev.rebound.model.pipeline.NativeSnapshot;
import dev.rebound.model.pipeline.PodVolume;
import dev.rebound.model.pipeline.VolumeHint.PersistentVolumeAction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * What a restore will do, before any item is restored: the selected items in waves, the target
 * namespaces they need, and the warnings and errors found while reading the backup.
 *
 * @param persistentVolumes how each selected PersistentVolume is restored, by its backed-up name (3.7)
 * @param nativeSnapshots the native snapshot record of each selected PersistentVolume restored from
 *     one (6.1), by its backed-up name
 * @param podVolumes the file-system backed-up volumes to restore of each selected pod, by
 *     {@code <source namespace>/<name>} (6.2)
 * @param versionDirs per resource directory, the version directory its items are read from when
 *     {@code EnableAPIGroupVersions} chose one (3.9); resources not listed are read at their legacy path
 */
public record RestorePlan(List<Wave> waves, SortedSet<String> targetNamespaces, Result warnings, Result errors,
    String formatVersion, Map<String, PersistentVolumeAction> persistentVolumes,
    Map<String, NativeSnapshot> nativeSnapshots, Map<String, List<PodVolume>> podVolumes,
    Map<String, String> versionDirs, List<PersistentVolumePatch> persistentVolumePatches) {

  public RestorePlan {
    persistentVolumePatches = List.copyOf(persistentVolumePatches);
    persistentVolumes = Map.copyOf(persistentVolumes);
    nativeSnapshots = Map.copyOf(nativeSnapshots);
    podVolumes = Map.copyOf(podVolumes);
    versionDirs = Map.copyOf(versionDirs);
  }

  public RestorePlan(List<Wave> waves, SortedSet<String> targetNamespaces, Result warnings, Result errors,
      String formatVersion, Map<String, PersistentVolumeAction> persistentVolumes) {
    this(waves, targetNamespaces, warnings, errors, formatVersion, persistentVolumes, Map.of(), Map.of(), Map.of(),
        List.of());
  }

  /** How the selected PersistentVolume {@code name} is restored; empty when it is not restored. */
  public Optional<PersistentVolumeAction> persistentVolume(String name) {
    return Optional.ofNullable(persistentVolumes.get(name));
  }

  public int totalItems() {
    return waves.stream().mapToInt(w -> w.items().size()).sum();
  }

  /** Every item in restore order. */
  public List<PlannedItem> items() {
    return waves.stream().flatMap(w -> w.items().stream()).toList();
  }
}
