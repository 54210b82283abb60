package dev.rebound.coordinator.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Velero's additional items (reference 3.6 step 8), planned ahead: the built-in actions ask for a
 * pod's claims and PriorityClass and a bound claim's volume to be restored before the item itself.
 * Velero restores them on demand, in the middle of the item; here the planner reads the same
 * references from the backed-up objects and makes sure each selected additional item is in an
 * earlier wave than the items that need it, moving it into a wave of its own when the resource
 * order would restore it later (a PriorityClass, unlisted in Velero's priorities, comes after
 * pods). As in Velero (reference 3.3), an additional item is restored even when the label
 * selectors or the cluster-scope rule leave it out; the resource filter, the namespace filter and
 * {@code includeClusterResources: false} still keep it out.
 */
final class AdditionalItems {

  static final String ADDITIONAL_ITEMS = "additional items";

  /** An item of the backup: its resource directory, source namespace (null when cluster-scoped), name. */
  record Ref(String groupResource, String namespace, String name) {
    static Ref of(PlannedItem item) {
      return new Ref(item.groupResource(), item.sourceNamespace(), item.name());
    }
  }

  private AdditionalItems() {}

  /** Whether the built-in actions ever ask for items of this resource. */
  static boolean mayBeAskedFor(String groupResource) {
    return groupResource.equals("persistentvolumeclaims") || groupResource.equals("persistentvolumes")
        || groupResource.equals("priorityclasses.scheduling.k8s.io");
  }

  /** What the built-in actions ask for before this item: pod (claims, PriorityClass), claim (its bound volume). */
  static List<Ref> of(String groupResource, String namespace, JsonNode item) {
    List<Ref> refs = new ArrayList<>();
    if (groupResource.equals("pods")) {
      for (JsonNode volume : item.path("spec").path("volumes")) {
        JsonNode claim = volume.path("persistentVolumeClaim").path("claimName");
        if (claim.isTextual() && !claim.asText().isEmpty()) {
          refs.add(new Ref("persistentvolumeclaims", namespace, claim.asText()));
        }
      }
      String priorityClass = item.path("spec").path("priorityClassName").asText("");
      if (!priorityClass.isEmpty()) {
        refs.add(new Ref("priorityclasses.scheduling.k8s.io", null, priorityClass));
      }
    } else if (groupResource.equals("persistentvolumeclaims")) {
      String volume = item.path("spec").path("volumeName").asText("");
      if ("Bound".equals(item.path("status").path("phase").asText()) && !volume.isEmpty()) {
        refs.add(new Ref("persistentvolumes", null, volume));
      }
    }
    return refs;
  }

  /**
   * The waves with every selected additional item before the first wave that needs it: an item in
   * the same or a later wave moves into a wave of additional items just before that wave.
   */
  static List<Wave> promote(List<Wave> waves, Map<Ref, List<Ref>> needs) {
    List<Wave> current = waves;
    // A moved item may need others in turn (a claim moved before its pod needs its volume): repeat.
    for (int round = 0; round < 4; round++) {
      Map<Ref, Integer> waveOf = new HashMap<>();
      Map<Ref, PlannedItem> items = new HashMap<>();
      for (int i = 0; i < current.size(); i++) {
        for (PlannedItem item : current.get(i).items()) {
          waveOf.put(Ref.of(item), i);
          items.put(Ref.of(item), item);
        }
      }
      Map<Ref, Integer> moves = new LinkedHashMap<>();
      needs.forEach((needer, refs) -> {
        Integer at = waveOf.get(needer);
        if (at == null) {
          return;
        }
        for (Ref ref : refs) {
          Integer refAt = waveOf.get(ref);
          if (refAt != null && refAt >= at) {
            moves.merge(ref, at, Math::min);
          }
        }
      });
      if (moves.isEmpty()) {
        return current;
      }
      current = move(current, moves, items);
    }
    return current;
  }

  private static List<Wave> move(List<Wave> waves, Map<Ref, Integer> moves, Map<Ref, PlannedItem> items) {
    Map<Integer, List<PlannedItem>> inserted = new TreeMap<>();
    moves.forEach((ref, before) -> inserted.computeIfAbsent(before, k -> new ArrayList<>()).add(items.get(ref)));
    List<Wave> out = new ArrayList<>();
    for (int i = 0; i < waves.size(); i++) {
      List<PlannedItem> early = inserted.get(i);
      if (early != null) {
        early.sort(Comparator.comparing(PlannedItem::groupResource)
            .thenComparing(p -> Objects.requireNonNullElse(p.sourceNamespace(), "")).thenComparing(PlannedItem::name));
        out.add(new Wave(out.size(), ADDITIONAL_ITEMS, early.stream().map(PlannedItem::groupResource).distinct()
            .toList(), early, false));
      }
      Wave wave = waves.get(i);
      List<PlannedItem> kept = wave.items().stream().filter(p -> !moves.containsKey(Ref.of(p))).toList();
      if (!kept.isEmpty() || wave.items().isEmpty()) {
        out.add(new Wave(out.size(), wave.name(), wave.groupResources(), kept, wave.waitForCrdsEstablished()));
      }
    }
    return out;
  }
}
