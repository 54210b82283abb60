package dev.rebound.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.examplerestore.RestoreApi;
import dev.rebound.model.Json;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What one restore of the kill matrix's backup left, normalised so that two restores of it into
 * different namespaces ({@code <prefix>-app-<n>}) compare equal when they did the same: its phase
 * and counts, its resource list, the objects in the cluster that carry its restore label, its
 * restore log's hook lines per pod, and how many times each pod's hook really ran (the hook
 * appends a line to {@value #HOOK_FILE}, an emptyDir of the pod).
 */
record RestoreOutcome(String phase, SortedMap<String, Integer> counts, JsonNode resources, SortedSet<String> objects,
    SortedMap<String, String> hookLog, SortedMap<String, Integer> hookRuns) {

  static final String HOOK_FILE = "/hook/runs";
  static final String LABEL = "velero.io/restore-name";

  /**
   * @param namespaces the backup's namespaces ({@code app-<n>}), restored as {@code <prefix>-app-<n>}
   * @param pods the hooked pods, {@code app-<n>/<pod>} in the backup's namespaces
   */
  static RestoreOutcome of(JsonNode ended, RestoreApi api, KubernetesClient kube, String prefix,
      List<String> namespaces, List<String> pods) throws Exception {
    String name = ended.path("metadata").path("name").asText();
    JsonNode status = ended.path("status");
    SortedMap<String, Integer> counts = new TreeMap<>();
    counts.put("itemsRestored", status.path("progress").path("itemsRestored").asInt());
    counts.put("totalItems", status.path("progress").path("totalItems").asInt());
    counts.put("warnings", status.path("warnings").asInt());
    counts.put("errors", status.path("errors").asInt());
    counts.put("hooksAttempted", status.path("hookStatus").path("hooksAttempted").asInt());
    counts.put("hooksFailed", status.path("hookStatus").path("hooksFailed").asInt());

    String mapped = prefix + "-app-";
    JsonNode resources = sorted(Json.mapper().readTree(api.get(name, "resources").body().replace(mapped, "app-")));

    SortedSet<String> objects = new TreeSet<>();
    for (String ns : namespaces) {
      String target = prefix + "-" + ns;
      if (kube.namespaces().withName(target).get() != null) {
        objects.add("namespaces " + ns);
      }
      add(objects, "configmaps", ns, kube.configMaps().inNamespace(target).withLabel(LABEL, name).list().getItems());
      add(objects, "secrets", ns, kube.secrets().inNamespace(target).withLabel(LABEL, name).list().getItems());
      add(objects, "pods", ns, kube.pods().inNamespace(target).withLabel(LABEL, name).list().getItems());
      add(objects, "networkpolicies", ns, kube.network().v1().networkPolicies().inNamespace(target)
          .withLabel(LABEL, name).list().getItems());
    }

    String log = api.get(name, "logs").body().replace(mapped, "app-");
    SortedMap<String, String> hookLog = new TreeMap<>();
    SortedMap<String, Integer> hookRuns = new TreeMap<>();
    for (String pod : pods) {
      hookLog.put(pod, "running=" + count(log, "running exec hook", "of pod " + pod + ":")
          + " executed=" + count(log, "hook ", "of pod " + pod + " executed")
          + " unknown=" + count(log, "hook ", "of pod " + pod + " was started by a coordinator that stopped"));
      String[] nsAndPod = pod.split("/");
      hookRuns.put(pod, hookRuns(kube, prefix + "-" + nsAndPod[0], nsAndPod[1]));
    }
    return new RestoreOutcome(status.path("phase").asText(), counts, resources, objects, hookLog, hookRuns);
  }

  /** Every hooked pod's hook ran once, and the restore log shows it started and executed once. */
  boolean hooksExactlyOnce() {
    return !hookRuns.isEmpty() && hookRuns.values().stream().allMatch(n -> n == 1)
        && hookLog.values().stream().allMatch(l -> l.equals(EXECUTED_ONCE));
  }

  private static final String EXECUTED_ONCE = "running=1 executed=1 unknown=0";

  /**
   * The pods whose hook a coordinator started and died before it reported: the restore log says its
   * outcome is unknown and no coordinator ran it again (DESIGN, "Exec hooks run at most once").
   */
  SortedSet<String> hooksOfUnknownOutcome() {
    SortedSet<String> pods = new TreeSet<>();
    hookLog.forEach((pod, lines) -> {
      if (lines.equals("running=0 executed=0 unknown=1")) {
        pods.add(pod);
      }
    });
    return pods;
  }

  /** No hook ran twice, and each either ran once as logged or is of unknown outcome and ran at most once. */
  boolean hooksAtMostOnce() {
    SortedSet<String> unknown = hooksOfUnknownOutcome();
    return !hookRuns.isEmpty() && hookRuns.entrySet().stream().allMatch(e -> unknown.contains(e.getKey())
        ? e.getValue() == 0 || e.getValue() == 1
        : e.getValue() == 1 && hookLog.get(e.getKey()).equals(EXECUTED_ONCE));
  }

  /** How this outcome differs from {@code baseline}, one short line per difference; empty when equal. */
  List<String> differences(RestoreOutcome baseline) {
    return differences(baseline, Set.of());
  }

  /**
   * How this outcome differs from {@code baseline}, leaving out the hooks of {@code pods} (those of
   * unknown outcome); one short line per difference, empty when equal.
   */
  List<String> differences(RestoreOutcome baseline, Set<String> pods) {
    List<String> diffs = new ArrayList<>();
    if (!phase.equals(baseline.phase)) {
      diffs.add("phase " + phase + ", baseline " + baseline.phase);
    }
    if (!counts.equals(baseline.counts)) {
      diffs.add("counts " + counts + ", baseline " + baseline.counts);
    }
    if (!resources.equals(baseline.resources)) {
      diffs.add("resource list differs: " + firstDifference(resources, baseline.resources));
    }
    if (!objects.equals(baseline.objects)) {
      SortedSet<String> missing = new TreeSet<>(baseline.objects);
      missing.removeAll(objects);
      SortedSet<String> extra = new TreeSet<>(objects);
      extra.removeAll(baseline.objects);
      diffs.add("cluster objects: " + objects.size() + ", baseline " + baseline.objects.size() + "; missing "
          + head(missing) + ", extra " + head(extra));
    }
    if (!without(hookLog, pods).equals(without(baseline.hookLog, pods))) {
      diffs.add("hook lines " + hookLog + ", baseline " + baseline.hookLog);
    }
    if (!without(hookRuns, pods).equals(without(baseline.hookRuns, pods))) {
      diffs.add("hook runs " + hookRuns + ", baseline " + baseline.hookRuns);
    }
    return diffs;
  }

  private static <V> SortedMap<String, V> without(SortedMap<String, V> map, Set<String> keys) {
    SortedMap<String, V> copy = new TreeMap<>(map);
    copy.keySet().removeAll(keys);
    return copy;
  }

  private static void add(SortedSet<String> objects, String kind, String ns, List<? extends HasMetadata> items) {
    items.forEach(i -> objects.add(kind + " " + ns + "/" + i.getMetadata().getName()));
  }

  private static int count(String log, String start, String end) {
    int n = 0;
    for (String line : log.split("\n")) {
      int at = line.indexOf(start);
      if (at >= 0 && line.indexOf(end, at) > at) {
        n++;
      }
    }
    return n;
  }

  /** Lines in the pod's hook file; -1 when the pod or the file is not there. */
  private static int hookRuns(KubernetesClient kube, String namespace, String pod) throws Exception {
    var running = kube.pods().inNamespace(namespace).withName(pod).waitUntilCondition(
        p -> p != null && "Running".equals(p.getStatus().getPhase()), 2, TimeUnit.MINUTES);
    if (running == null) {
      return -1;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ExecWatch watch = kube.pods().inNamespace(namespace).withName(pod).inContainer("app").writingOutput(out)
        .exec("sh", "-c", "cat " + HOOK_FILE + " 2>/dev/null || true")) {
      watch.exitCode().get(60, TimeUnit.SECONDS);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    return (int) text.lines().filter(l -> !l.isBlank()).count();
  }

  /** The resource list with each kind's entries sorted. */
  private static JsonNode sorted(JsonNode list) {
    ObjectNode out = Json.mapper().createObjectNode();
    new TreeMap<>(Json.mapper().convertValue(list, Map.class)).forEach((kind, entries) -> {
      ArrayNode array = out.putArray((String) kind);
      new TreeSet<>((List<String>) entries).forEach(array::add);
    });
    return out;
  }

  private static String firstDifference(JsonNode a, JsonNode b) {
    for (Iterator<String> kinds = b.fieldNames(); kinds.hasNext(); ) {
      String kind = kinds.next();
      if (!b.path(kind).equals(a.path(kind))) {
        return kind + ": " + a.path(kind).size() + " entries, baseline " + b.path(kind).size();
      }
    }
    return "kinds " + Json.mapper().convertValue(a, Map.class).keySet() + ", baseline "
        + Json.mapper().convertValue(b, Map.class).keySet();
  }

  private static String head(SortedSet<String> set) {
    return set.size() <= 5 ? set.toString() : new ArrayList<>(set).subList(0, 5) + " and " + (set.size() - 5) + " more";
  }
}
