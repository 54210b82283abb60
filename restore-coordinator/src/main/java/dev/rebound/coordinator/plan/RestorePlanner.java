package dev.rebound.coordinator.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rebound.coordinator.archive.ArchivePath;
import dev.rebound.coordinator.archive.BackupArchiveReader;
import dev.rebound.coordinator.archive.CorruptBackupException;
import dev.rebound.coordinator.order.RestorePriorities;
import dev.rebound.model.Json;
import dev.rebound.model.pipeline.NativeSnapshot;
import dev.rebound.model.pipeline.PodVolume;
import dev.rebound.model.pipeline.VolumeHint.PersistentVolumeAction;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.model.velero.Result;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Turns a validated Restore spec and a backup tarball into a {@link RestorePlan}: one streaming
 * pass selects items (reference 3.3), then the selected resources are ordered (3.4) and grouped
 * into waves. Only each selected item's coordinates are kept, never its content.
 */
public final class RestorePlanner {

  static final String CRDS = "customresourcedefinitions";
  static final String PERSISTENT_VOLUMES = "persistentvolumes";
  static final String PODS = "pods";
  static final String UNLISTED = "unlisted resources";

  private final ResourceCatalog catalog;
  private final RestorePriorities priorities;
  private final BackupArchiveReader reader;

  public RestorePlanner(ResourceCatalog catalog, RestorePriorities priorities, long maxItemBytes) {
    this.catalog = catalog;
    this.priorities = priorities;
    this.reader = new BackupArchiveReader(maxItemBytes);
  }

  /**
   * {@code spec.restoreStatus} with its resource names resolved through the target's discovery
   * ({@code deployments} to {@code deployments.apps}), as Velero resolves them; null stays null.
   */
  public RestoreSpec.RestoreStatusSpec resolve(RestoreSpec.RestoreStatusSpec status) {
    return status == null ? null : new RestoreSpec.RestoreStatusSpec(
        RestoreFilters.resolve(status.includedResources(), catalog), RestoreFilters.resolve(status.excludedResources(), catalog));
  }

  public RestorePlan plan(RestoreSpec spec, InputStream tarball) throws CorruptBackupException, IOException {
    return plan(spec, tarball, VolumeDecisions.none());
  }

  /** @param volumes the backup's volume files, which decide how each PersistentVolume is restored */
  public RestorePlan plan(RestoreSpec spec, InputStream tarball, VolumeDecisions volumes)
      throws CorruptBackupException, IOException {
    return plan(spec, tarball, volumes, null);
  }

  /**
   * @param versionPriorities null: items are restored at the version the backup's legacy path holds;
   *     otherwise Velero's {@code EnableAPIGroupVersions} selection runs (3.9) with these user
   *     priorities (from the {@code enableapigroupversions} ConfigMap, possibly empty)
   */
  public RestorePlan plan(RestoreSpec spec, InputStream tarball, VolumeDecisions volumes,
      Map<String, List<String>> versionPriorities) throws CorruptBackupException, IOException {
    Selection selection = new Selection(new RestoreFilters(spec, catalog), reader, volumes);
    BackupArchiveReader.Summary summary = reader.read(tarball, selection);
    Result.Builder warnings = new Result.Builder();
    if (!summary.hasResources()) {
      warnings.addVelero("zero items to be restored: directory \"resources\" does not exist");
      return new RestorePlan(List.of(), new TreeSet<>(), warnings.build(), selection.errors.build(),
          summary.formatVersion(), Map.of());
    }
    Map<String, String> versionDirs = new HashMap<>();
    if (versionPriorities != null) {
      GroupVersions.choose(summary.versions(), summary.preferredVersions(), catalog.groups(), versionPriorities)
          .forEach((gr, chosen) -> {
            versionDirs.put(gr, chosen.dir());
            selection.atVersion(gr, chosen.version());
          });
    }
    selection.admitAdditionalItems();
    List<Wave> waves = AdditionalItems.promote(waves(selection), selection.additionalItems);
    SortedSet<String> namespaces = new TreeSet<>();
    for (Wave w : waves) {
      for (PlannedItem item : w.items()) {
        if (item.targetNamespace() != null) {
          namespaces.add(item.targetNamespace());
        } else if (item.groupResource().equals("namespaces")) {
          namespaces.add(selection.filters.targetNamespace(item.name()));
        }
      }
    }
    return new RestorePlan(waves, namespaces, warnings.build(), selection.errors.build(), summary.formatVersion(),
        selection.persistentVolumes, selection.nativeSnapshots, selection.podVolumes, versionDirs,
        selection.volumes.persistentVolumePatches());
  }

  /** CRDs first, then one wave per high-priority resource, one for all unlisted, one per low-priority. */
  private List<Wave> waves(Selection s) {
    List<Wave> waves = new ArrayList<>();
    Set<String> processed = new HashSet<>();
    String crds = catalog.groupResourceOf(CRDS);
    processed.add(crds);
    if (s.selected.containsKey(crds)) {
      waves.add(new Wave(0, crds, List.of(crds), s.sortedItems(crds), true));
    }
    Set<String> high = new HashSet<>(priorities.high());
    Set<String> low = new HashSet<>(priorities.low());
    List<String> unlisted = new ArrayList<>();
    int unlistedAt = -1;
    for (String entry : priorities.order(s.resourceDirs)) {
      String gr = catalog.groupResourceOf(entry);
      if (!processed.add(gr) || !s.selected.containsKey(gr)) {
        continue;
      }
      if (high.contains(entry) || low.contains(entry)) {
        waves.add(new Wave(waves.size(), gr, List.of(gr), s.sortedItems(gr), false));
      } else {
        if (unlistedAt < 0) {
          unlistedAt = waves.size();
          waves.add(null);
        }
        unlisted.add(gr);
      }
    }
    if (unlistedAt >= 0) {
      List<PlannedItem> items = new ArrayList<>();
      unlisted.forEach(gr -> items.addAll(s.sortedItems(gr)));
      waves.set(unlistedAt, new Wave(unlistedAt, UNLISTED, unlisted, items, false));
    }
    return waves;
  }

  /** The streaming selection of items, resource by resource. */
  private static final class Selection implements BackupArchiveReader.ItemHandler {
    private final ObjectMapper json = Json.mapper();
    private final RestoreFilters filters;
    private final BackupArchiveReader reader;
    private final Set<String> resourceDirs = new LinkedHashSet<>();
    private final Map<String, List<PlannedItem>> selected = new HashMap<>();
    private final Result.Builder errors = new Result.Builder();
    private final VolumeDecisions volumes;
    private final Map<String, PersistentVolumeAction> persistentVolumes = new HashMap<>();
    private final Map<String, NativeSnapshot> nativeSnapshots = new HashMap<>();
    private final Map<String, List<PodVolume>> podVolumes = new HashMap<>();
    /** What each item's restore item actions will ask for first (reference 3.6 step 8). */
    private final Map<AdditionalItems.Ref, List<AdditionalItems.Ref>> additionalItems = new HashMap<>();

    Selection(RestoreFilters filters, BackupArchiveReader reader, VolumeDecisions volumes) {
      this.filters = filters;
      this.reader = reader;
      this.volumes = volumes;
    }

    /**
     * Reference 6.2: the pod's volumes with a file-system backup snapshot, except projected and
     * downward API volumes; none unless the restore includes both claims and volumes (Velero's
     * precondition for pod volume restores).
     */
    private void decidePodVolumes(String namespace, String name, JsonNode pod) {
      if (!filters.selectsResource("persistentvolumeclaims") || !filters.selectsResource(PERSISTENT_VOLUMES)) {
        return;
      }
      Set<String> skipped = new HashSet<>();
      for (JsonNode v : pod.path("spec").path("volumes")) {
        if (v.has("projected") || v.has("downwardAPI")) {
          skipped.add(v.path("name").asText());
        }
      }
      List<PodVolume> volumes = volumes(namespace, name).stream().filter(v -> !skipped.contains(v.volume())).toList();
      if (!volumes.isEmpty()) {
        podVolumes.put(namespace + "/" + name, volumes);
      }
    }

    private List<PodVolume> volumes(String namespace, String name) {
      return this.volumes.podVolumes(namespace, name);
    }

    /** Reference 3.7: how the selected PersistentVolume is restored, with its snapshot record if any. */
    private void decideVolume(String name, JsonNode pv) {
      PersistentVolumeAction action = volumes.decide(pv);
      persistentVolumes.put(name, action);
      if (action == PersistentVolumeAction.SNAPSHOT) {
        volumes.snapshot(name).ifPresent(s -> nativeSnapshots.put(name, s));
      }
    }

    @Override
    public void item(ArchivePath path, byte[] bytes) {
      String gr = path.groupResource();
      resourceDirs.add(gr);
      if (!selectedByPath(path)) {
        if (AdditionalItems.mayBeAskedFor(gr) && filters.selectsAdditional(gr, path.namespace())) {
          candidate(path, bytes);
        }
        return;
      }
      String target = filters.targetNamespace(path.namespace());
      JsonNode item;
      try {
        item = json.readTree(bytes);
      } catch (IOException e) {
        errors.add(target, "error decoding \"" + path.entryName() + "\": " + firstLine(e.getMessage()));
        return;
      }
      if (item == null || !item.isObject() || !item.path("kind").isTextual() || !item.path("apiVersion").isTextual()) {
        errors.add(target, "error decoding \"" + path.entryName() + "\": not a Kubernetes object (apiVersion and kind required)");
        return;
      }
      if (completed(gr, item)) {
        return;
      }
      if (!filters.selectsLabels(gr, labels(item))) {
        if (AdditionalItems.mayBeAskedFor(gr)) {
          candidates.put(new AdditionalItems.Ref(gr, path.namespace(), path.name()), item);
        }
        return;
      }
      if (gr.equals(PERSISTENT_VOLUMES)) {
        decideVolume(path.name(), item);
      } else if (gr.equals(PODS)) {
        decidePodVolumes(path.namespace(), path.name(), item);
      }
      List<AdditionalItems.Ref> needs = AdditionalItems.of(gr, path.namespace(), item);
      if (!needs.isEmpty()) {
        additionalItems.put(new AdditionalItems.Ref(gr, path.namespace(), path.name()), needs);
      }
      selected.computeIfAbsent(gr, k -> new ArrayList<>()).add(new PlannedItem(gr, path.namespace(), target,
          path.name(), item.get("apiVersion").asText(), item.get("kind").asText()));
    }

    @Override
    public void oversized(ArchivePath path, long size) {
      resourceDirs.add(path.groupResource());
      if (selectedByPath(path)) {
        errors.add(filters.targetNamespace(path.namespace()), "error decoding \"" + path.entryName() + "\": item is "
            + size + " bytes, over the limit of " + reader.maxItemBytes() + " bytes");
      }
    }

    private boolean selectedByPath(ArchivePath path) {
      return filters.selectsResource(path.groupResource())
          && filters.selectsScope(path.groupResource(), path.namespace(), path.name());
    }

    /** Items not selected that an action may still ask for (reference 3.3, additional items). */
    private final Map<AdditionalItems.Ref, JsonNode> candidates = new HashMap<>();

    private void candidate(ArchivePath path, byte[] bytes) {
      try {
        JsonNode item = json.readTree(bytes);
        if (item != null && item.isObject() && item.path("kind").isTextual() && item.path("apiVersion").isTextual()
            && !completed(path.groupResource(), item)) {
          candidates.put(new AdditionalItems.Ref(path.groupResource(), path.namespace(), path.name()), item);
        }
      } catch (IOException e) {
        // Not selected anyway; an item that asks for it gets no additional item, as when it is missing.
      }
    }

    /**
     * Admits the candidates the selected items ask for, and in turn what those ask for (a pod's
     * claim's volume): Velero restores them as additional items even when the label selectors or the
     * cluster-scope rule left them out.
     */
    void admitAdditionalItems() {
      java.util.Deque<AdditionalItems.Ref> queue = new java.util.ArrayDeque<>();
      additionalItems.values().forEach(queue::addAll);
      while (!queue.isEmpty()) {
        AdditionalItems.Ref ref = queue.poll();
        JsonNode item = candidates.remove(ref);
        if (item == null) {
          continue;
        }
        String gr = ref.groupResource();
        if (gr.equals(PERSISTENT_VOLUMES)) {
          decideVolume(ref.name(), item);
        } else if (gr.equals(PODS)) {
          decidePodVolumes(ref.namespace(), ref.name(), item);
        }
        selected.computeIfAbsent(gr, k -> new ArrayList<>()).add(new PlannedItem(gr, ref.namespace(),
            filters.targetNamespace(ref.namespace()), ref.name(), item.get("apiVersion").asText(),
            item.get("kind").asText()));
        List<AdditionalItems.Ref> needs = AdditionalItems.of(gr, ref.namespace(), item);
        if (!needs.isEmpty()) {
          additionalItems.put(ref, needs);
          queue.addAll(needs);
        }
      }
      candidates.clear();
    }

    /** The items of {@code gr} are restored at {@code version}: their resource list key follows. */
    void atVersion(String gr, String version) {
      String group = GroupVersions.group(gr);
      String apiVersion = group.isEmpty() ? version : group + "/" + version;
      selected.computeIfPresent(gr, (k, items) -> items.stream().map(i -> new PlannedItem(i.groupResource(),
          i.sourceNamespace(), i.targetNamespace(), i.name(), apiVersion, i.kind())).collect(
          java.util.stream.Collectors.toCollection(ArrayList::new)));
    }

    /** Items by source namespace, then name (the file-name order Velero reads them in). */
    List<PlannedItem> sortedItems(String gr) {
      List<PlannedItem> items = new ArrayList<>(selected.getOrDefault(gr, List.of()));
      items.sort(Comparator.comparing((PlannedItem i) -> i.sourceNamespace() == null ? "" : i.sourceNamespace())
          .thenComparing(PlannedItem::name));
      return items;
    }

    private static Map<String, String> labels(JsonNode item) {
      JsonNode labels = item.path("metadata").path("labels");
      if (!labels.isObject()) {
        return Map.of();
      }
      Map<String, String> out = new HashMap<>();
      labels.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
      return out;
    }

    /** Pods that ended and finished Jobs are never restored nor recorded (reference 3.3, 3.6 step 3). */
    private static boolean completed(String gr, JsonNode item) {
      if (gr.equals("pods")) {
        String phase = item.path("status").path("phase").asText("");
        return phase.equals("Succeeded") || phase.equals("Failed");
      }
      if (gr.equals("jobs.batch")) {
        return !item.path("status").path("completionTime").asText("").isEmpty();
      }
      return false;
    }

    private static String firstLine(String message) {
      if (message == null) {
        return "invalid JSON";
      }
      int nl = message.indexOf('\n');
      return nl < 0 ? message : message.substring(0, nl);
    }
  }
}
