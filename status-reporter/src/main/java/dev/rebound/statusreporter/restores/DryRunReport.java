package dev.rebound.statusreporter.restores;

import dev.rebound.model.pipeline.DryRun;
import dev.rebound.model.pipeline.ItemKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dry run's report (issue 14 scope 6): per item, sorted by cluster, kind, namespace and name, what
 * the restore would do ({@link DryRun.Verdict}), with the diff against the live object where it
 * exists and differs. Served by {@code GET .../dry-run} and stored as {@code restore-<name>-dry-run.json.gz}.
 */
final class DryRunReport {

  private static final Comparator<ItemKey> ORDER = Comparator.comparing(ItemKey::resource)
      .thenComparing(ItemKey::namespace).thenComparing(ItemKey::name);

  private DryRunReport() {}

  static List<Map<String, Object>> entries(Collection<ClusterView> clusters) {
    List<Map<String, Object>> entries = new ArrayList<>();
    for (ClusterView c : clusters) {
      c.verdicts.entrySet().stream().sorted(Map.Entry.comparingByKey(ORDER)).forEach(e -> {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("cluster", c.cluster());
        entry.put("resource", e.getKey().resource());
        if (!e.getKey().namespace().isEmpty()) {
          entry.put("namespace", e.getKey().namespace());
        }
        entry.put("name", e.getKey().name());
        entry.put("verdict", e.getValue().verdict());
        if (e.getValue().detail() != null) {
          entry.put("detail", e.getValue().detail());
        }
        if (e.getValue().diff() != null) {
          entry.put("diff", e.getValue().diff());
        }
        entries.add(entry);
      });
    }
    return entries;
  }
}
