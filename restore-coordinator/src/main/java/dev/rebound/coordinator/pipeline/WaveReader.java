package dev.rebound.coordinator.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.coordinator.archive.ArchivePath;
import dev.rebound.coordinator.archive.BackupArchiveReader;
import dev.rebound.coordinator.archive.CorruptBackupException;
import dev.rebound.coordinator.plan.PlannedItem;
import dev.rebound.model.Json;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.ItemTask;
import dev.rebound.model.pipeline.RestoreContext;
import dev.rebound.model.pipeline.NativeSnapshot;
import dev.rebound.model.pipeline.PodVolume;
import dev.rebound.model.pipeline.VolumeHint;
import dev.rebound.model.pipeline.VolumeHint.PersistentVolumeAction;
import dev.rebound.model.velero.RestoreSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns one wave into {@link ItemTask}s by streaming the backup tarball once: each planned item's
 * JSON is read at its legacy path (reference 1.3) and handed over as soon as it is read, so a
 * wave of any size is never held in memory.
 */
final class WaveReader {

  /** Where the tasks are for: the restore's identity and settings every task carries. */
  record Target(String restore, String backup, String cluster, RestoreContext context,
      Map<String, PersistentVolumeAction> persistentVolumes, Map<String, NativeSnapshot> nativeSnapshots,
      Map<String, List<PodVolume>> podVolumes, Map<String, String> renamedVolumes) {
    RestoreSpec spec() {
      return context.spec();
    }
  }

  private final BackupArchiveReader reader;

  private final Map<String, String> versionDirs;

  /** @param versionDirs per resource, the version directory to read items from (3.9); others at their legacy path */
  WaveReader(long maxItemBytes, Map<String, String> versionDirs) {
    this.reader = new BackupArchiveReader(maxItemBytes);
    this.versionDirs = versionDirs;
  }

  /**
   * @param sink receives each task; returns the planned items that were not found in the archive
   *     (only possible if the backup changed since it was planned)
   */
  List<PlannedItem> read(InputStream tarball, Target target, ExecutionWave wave, Consumer<ItemTask> sink)
      throws CorruptBackupException, IOException {
    if (wave.isNamespaces()) {
      readNamespaces(tarball, target, wave, sink);
      return List.of();
    }
    Map<Coordinates, PlannedItem> wanted = new HashMap<>();
    for (PlannedItem item : wave.items()) {
      wanted.put(new Coordinates(item.groupResource(), item.sourceNamespace(), item.name()), item);
    }
    reader.read(tarball, new BackupArchiveReader.ItemHandler() {
      @Override
      public void item(ArchivePath path, byte[] json) {
        PlannedItem item = wanted.remove(new Coordinates(path.groupResource(), path.namespace(), path.name()));
        if (item != null) {
          sink.accept(task(target, wave.index(), item, parse(json)));
        }
      }

      @Override
      public void oversized(ArchivePath path, long size) {
        // never planned: the planner reported it already
      }
    }, versionDirs);
    return List.copyOf(wanted.values());
  }

  private void readNamespaces(InputStream tarball, Target target, ExecutionWave wave, Consumer<ItemTask> sink)
      throws CorruptBackupException, IOException {
    Map<String, String> mapping = target.spec().namespaceMapping();
    Set<String> sources = new HashSet<>();
    wave.namespaces().forEach(t -> sources.addAll(ExecutionWave.sourcesOf(t, mapping)));
    Map<String, ObjectNode> backedUp = new HashMap<>();
    reader.read(tarball, new BackupArchiveReader.ItemHandler() {
      @Override
      public void item(ArchivePath path, byte[] json) {
        if (path.groupResource().equals(ExecutionWave.NAMESPACES) && path.clusterScoped() && sources.contains(path.name())) {
          try {
            backedUp.put(path.name(), parse(json));
          } catch (IllegalArgumentException e) {
            // Velero falls back to a bare namespace when the backed-up one is unreadable (3.5)
          }
        }
      }

      @Override
      public void oversized(ArchivePath path, long size) {}
    });
    for (String ns : wave.namespaces()) {
      ObjectNode object = ExecutionWave.sourcesOf(ns, mapping).stream().map(backedUp::get)
          .filter(java.util.Objects::nonNull).findFirst().map(ObjectNode::deepCopy).orElseGet(WaveReader::bareNamespace);
      object.with("metadata").put("name", ns);
      sink.accept(new ItemTask(target.restore(), target.backup(), target.cluster(), wave.index(),
          new ItemKey("v1/Namespace", "", ns), ExecutionWave.NAMESPACES, null, target.context(),
          object));
    }
  }

  static ItemTask task(Target target, int wave, PlannedItem item, ObjectNode object) {
    return new ItemTask(target.restore(), target.backup(), target.cluster(), wave,
        new ItemKey(item.resourceListKey(), item.targetNamespace(), item.name()), item.groupResource(),
        item.sourceNamespace(), target.context(), object, volumeHint(target, item, object));
  }

  /**
   * Reference 3.7 and 3.6 step 9: a PersistentVolume carries the plan's decision; a claim bound to
   * a volume this restore re-provisions or renamed carries that.
   */
  static VolumeHint volumeHint(Target target, PlannedItem item, ObjectNode object) {
    if (item.groupResource().equals("persistentvolumes")) {
      PersistentVolumeAction action = target.persistentVolumes().getOrDefault(item.name(), PersistentVolumeAction.AS_IS);
      return action == PersistentVolumeAction.SNAPSHOT ? VolumeHint.snapshot(target.nativeSnapshots().get(item.name()))
          : VolumeHint.persistentVolume(action);
    }
    if (item.groupResource().equals("pods")) {
      List<PodVolume> volumes = target.podVolumes().get(item.sourceNamespace() + "/" + item.name());
      return volumes == null ? null : VolumeHint.pod(volumes);
    }
    if (item.groupResource().equals("persistentvolumeclaims")) {
      String volume = object.path("spec").path("volumeName").asText("");
      if (volume.isEmpty()) {
        return null;
      }
      PersistentVolumeAction action = target.persistentVolumes().get(volume);
      String renamed = target.renamedVolumes().get(volume);
      if (action == PersistentVolumeAction.PROVISION || action == PersistentVolumeAction.PROVISION_FOR_POD_VOLUME) {
        return VolumeHint.claim(action, renamed);
      }
      return renamed != null ? VolumeHint.claim(false, renamed) : null;
    }
    return null;
  }

  private static ObjectNode bareNamespace() {
    ObjectNode ns = Json.mapper().createObjectNode();
    ns.put("apiVersion", "v1");
    ns.put("kind", "Namespace");
    ns.putObject("metadata");
    return ns;
  }

  private static ObjectNode parse(byte[] json) {
    try {
      JsonNode node = Json.mapper().readTree(json);
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    throw new IllegalArgumentException("not a JSON object");
  }

  private record Coordinates(String groupResource, String namespace, String name) {}
}
