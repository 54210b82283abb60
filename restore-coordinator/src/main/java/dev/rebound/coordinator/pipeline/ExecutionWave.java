package dev.rebound.coordinator.pipeline;

import dev.rebound.coordinator.plan.PlannedItem;
import dev.rebound.coordinator.plan.RestorePlan;
import dev.rebound.coordinator.plan.Wave;
import dev.rebound.model.pipeline.RestoreEvent.WaveSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * A wave as the coordinator publishes it. Differs from the plan's {@link Wave} in one place: the
 * namespaces wave holds one item per <b>target</b> namespace, whether or not the backup has its
 * Namespace object, so every namespace exists before any item is created in it (reference 3.5:
 * Velero ensures them lazily, item by item; ensuring them in one wave first gives the same
 * namespaces, recorded the same way, with one GET per namespace instead of one per item).
 *
 * @param items for the namespaces wave, none (see {@code namespaces})
 * @param namespaces for the namespaces wave, the target namespaces; else empty
 */
public record ExecutionWave(int index, String name, List<PlannedItem> items, List<String> namespaces) {

  static final String NAMESPACES = "namespaces";

  public int size() {
    return name.equals(NAMESPACES) ? namespaces.size() : items.size();
  }

  public boolean isNamespaces() {
    return name.equals(NAMESPACES);
  }

  /** The keys of the wave's items, as their results carry them. */
  public List<dev.rebound.model.pipeline.ItemKey> keys() {
    if (isNamespaces()) {
      return namespaces.stream().map(ns -> new dev.rebound.model.pipeline.ItemKey("v1/Namespace", "", ns)).toList();
    }
    return items.stream().map(i -> new dev.rebound.model.pipeline.ItemKey(i.resourceListKey(), i.targetNamespace(),
        i.name())).toList();
  }

  public WaveSummary summary() {
    return new WaveSummary(index, name, size());
  }

  /** The plan's waves with the namespaces wave completed, or inserted after the CRDs when the plan has none. */
  public static List<ExecutionWave> of(RestorePlan plan) {
    List<ExecutionWave> out = new ArrayList<>();
    SortedSet<String> targets = plan.targetNamespaces();
    boolean namespacesDone = targets.isEmpty();
    for (Wave wave : plan.waves()) {
      if (wave.name().equals(NAMESPACES)) {
        if (!namespacesDone) {
          out.add(new ExecutionWave(out.size(), NAMESPACES, List.of(), List.copyOf(targets)));
          namespacesDone = true;
        }
        continue;
      }
      if (!namespacesDone && !wave.waitForCrdsEstablished()) {
        out.add(new ExecutionWave(out.size(), NAMESPACES, List.of(), List.copyOf(targets)));
        namespacesDone = true;
      }
      out.add(new ExecutionWave(out.size(), wave.name(), wave.items(), List.of()));
    }
    if (!namespacesDone) {
      out.add(new ExecutionWave(out.size(), NAMESPACES, List.of(), List.copyOf(targets)));
    }
    return out;
  }

  /** Source namespaces whose backed-up Namespace object may give a target namespace its metadata. */
  static List<String> sourcesOf(String target, Map<String, String> namespaceMapping) {
    List<String> sources = new ArrayList<>();
    if (namespaceMapping != null) {
      namespaceMapping.forEach((source, mapped) -> {
        if (mapped.equals(target)) {
          sources.add(source);
        }
      });
      sources.sort(null);
      if (!namespaceMapping.containsKey(target)) {
        sources.add(target);
      }
    } else {
      sources.add(target);
    }
    return sources;
  }
}
