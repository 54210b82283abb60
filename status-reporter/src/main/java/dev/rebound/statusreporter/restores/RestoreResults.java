package dev.rebound.statusreporter.restores;

import dev.rebound.model.pipeline.ItemAction;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.velero.Result;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Folds what a restore's target clusters recorded into two of the files Velero stores for it
 * (reference 1.4): the results file (3.12) and the restore resource list.
 */
final class RestoreResults {

  private RestoreResults() {}

  /**
   * The results file: {@code {"warnings": Result, "errors": Result}}, the clusters' results merged
   * in order, then the errors from storing the files as Velero errors.
   */
  static Map<String, Result> results(List<Result> clusterWarnings, List<Result> clusterErrors,
      List<String> storingErrors) {
    Result warnings = Result.empty();
    Result errors = Result.empty();
    for (Result w : clusterWarnings) {
      warnings = warnings.merge(w);
    }
    for (Result e : clusterErrors) {
      errors = errors.merge(e);
    }
    for (String e : storingErrors) {
      errors = errors.addVelero(e);
    }
    Map<String, Result> out = new LinkedHashMap<>();
    out.put("warnings", warnings);
    out.put("errors", errors);
    return out;
  }

  /**
   * Velero's restore resource list: {@code <apiVersion>/<Kind>} to sorted {@code <ns>/<name>(<action>)},
   * over the items each cluster recorded.
   */
  static Map<String, List<String>> resourceList(List<Map<ItemKey, ItemAction>> recorded) {
    Map<String, TreeSet<String>> list = new TreeMap<>();
    for (Map<ItemKey, ItemAction> cluster : recorded) {
      cluster.forEach((key, action) -> list.computeIfAbsent(key.resource(), k -> new TreeSet<>())
          .add(key.resourceListEntry(action)));
    }
    Map<String, List<String>> out = new TreeMap<>();
    list.forEach((k, v) -> out.put(k, List.copyOf(v)));
    return out;
  }
}
