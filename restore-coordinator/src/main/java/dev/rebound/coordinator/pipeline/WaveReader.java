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
 * Turns a run's waves into {@link ItemTask}s in one pass over the backup tarball: each planned
 * item's JSON is read at its legacy path (reference 1.3), or its chosen version directory, and
 * handed over as soon as it is read, so no wave is ever held in memory.
 */
final class WaveReader {

  /** Where the tasks are for: the restore's identity and settings every task carries. */
  record Target(String restore, String backup, String cluster, RestoreContext context,
      Map<String, PersistentVolumeAction> persistentVolumes, Map<String, NativeSnapshot> nativeSnapshots,
      Map<String, List<PodVolume>> podVolumes) {
    RestoreSpec spec() {
      return context.spec();
    }
  }

  /** Receives each task as it is read. */
  interface Sink {
    void accept(ItemTask task) throws IOException;
  }

  private final BackupArchiveReader reader;

  private final Map<String, String> versionDirs;

  /** @param versionDirs per resource, the version directory to read items from (3.9); others at their legacy path */
  WaveReader(long maxItemBytes, Map<String, String> versionDirs) {
    this.reader = new BackupArchiveReader(maxItemBytes);
    this.versionDirs = versionDirs;
  }

  /** A planned item of a wave. */
  record Placed(int wave, PlannedItem item) {}

  /**
   * Reads every wave's tasks in one pass.
   *
   * @return the planned items that were not found in the archive (only possible if the backup
   *     changed since it was planned)
   */
  List<Placed> read(InputStream tarball, Target target, List<ExecutionWave> waves, Sink sink)
      throws CorruptBackupException, IOException {
    Map<Coordinates, Placed> wanted = new HashMap<>();
    ExecutionWave namespaces = null;
    for (ExecutionWave wave : waves) {
      if (wave.isNamespaces()) {
        namespaces = wave;
        continue;
      }
      for (PlannedItem item : wave.items()) {
        wanted.put(new Coordinates(item.groupResource(), item.sourceNamespace(), item.name()),
            new Placed(wave.index(), item));
      }
    }
    Map<String, String> mapping = target.spec().namespaceMapping();
    Set<String> sources = new HashSet<>();
    if (namespaces != null) {
      namespaces.namespaces().forEach(t -> sources.addAll(ExecutionWave.sourcesOf(t, mapping)));
    }
    Map<String, ObjectNode> backedUp = new HashMap<>();
    IOException[] failed = {null};
    reader.read(tarball, new BackupArchiveReader.ItemHandler() {
      @Override
      public void item(ArchivePath path, byte[] json) {
        if (failed[0] != null) {
          return;
        }
        if (path.groupResource().equals(ExecutionWave.NAMESPACES) && path.clusterScoped() && sources.contains(path.name())) {
          try {
            backedUp.put(path.name(), parse(json));
          } catch (IllegalArgumentException e) {
            // Velero falls back to a bare namespace when the backed-up one is unreadable (3.5)
          }
        }
        Placed placed = wanted.remove(new Coordinates(path.groupResource(), path.namespace(), path.name()));
        if (placed != null) {
          try {
            sink.accept(task(target, placed.wave(), placed.item(), parse(json)));
          } catch (IOException e) {
            failed[0] = e;
          }
        }
      }

      @Override
      public void oversized(ArchivePath path, long size) {
        // never planned: the planner reported it already
      }
    }, versionDirs);
    if (failed[0] != null) {
      throw failed[0];
    }
    if (namespaces != null) {
      for (String ns : namespaces.namespaces()) {
        ObjectNode object = ExecutionWave.sourcesOf(ns, mapping).stream().map(backedUp::get)
            .filter(java.util.Objects::nonNull).findFirst().map(ObjectNode::deepCopy).orElseGet(WaveReader::bareNamespace);
        object.with("metadata").put("name", ns);
        sink.accept(new ItemTask(target.restore(), target.backup(), target.cluster(), namespaces.index(),
            new ItemKey("v1/Namespace", "", ns), ExecutionWave.NAMESPACES, null, target.context(), object));
      }
    }
    return List.copyOf(wanted.values());
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
    if (item.groupResource().equals(PERSISTENT_VOLUME_CLAIMS)) {
      return claimHint(object, target.persistentVolumes(), Map.of());
    }
    return null;
  }

  static final String PERSISTENT_VOLUME_CLAIMS = "persistentvolumeclaims";

  /**
   * A claim bound to a volume this restore re-provisions, or renamed (known once the volume's
   * result is in: so completed when the claim's wave is published), carries that.
   */
  static VolumeHint claimHint(ObjectNode claim, Map<String, PersistentVolumeAction> persistentVolumes,
      Map<String, String> renamedVolumes) {
    String volume = claim.path("spec").path("volumeName").asText("");
    if (volume.isEmpty()) {
      return null;
    }
    PersistentVolumeAction action = persistentVolumes.get(volume);
    String renamed = renamedVolumes.get(volume);
    if (action == PersistentVolumeAction.PROVISION || action == PersistentVolumeAction.PROVISION_FOR_POD_VOLUME) {
      return VolumeHint.claim(action, renamed);
    }
    return renamed != null ? VolumeHint.claim(false, renamed) : null;
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
