package dev.rebound.bench;

import dev.rebound.servers.KubeCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The requests an API server has answered, from its {@code apiserver_request_total} counter (its
 * {@code /metrics}, read as the admin), by verb, resource and code: what a restore asks of a cluster.
 */
final class ApiRequests {

  private static final Pattern SERIES = Pattern.compile("^apiserver_request_total\\{([^}]*)} ([0-9.e+]+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private ApiRequests() {}

  /** The counter's series so far, each as {@code VERB resource[/subresource] code}. */
  static Map<String, Double> count(KubeCluster cluster) throws IOException {
    Map<String, Double> counts = new TreeMap<>();
    try (KubernetesClient kube = BenchRestores.client(cluster.adminKubeconfig())) {
      for (String line : kube.raw(cluster.apiServerUrl() + "/metrics").split("\n")) {
        Matcher series = SERIES.matcher(line);
        if (series.matches()) {
          Map<String, String> labels = new TreeMap<>();
          Matcher label = LABEL.matcher(series.group(1));
          while (label.find()) {
            labels.put(label.group(1), label.group(2));
          }
          String sub = labels.getOrDefault("subresource", "");
          String key = labels.get("verb") + " " + labels.getOrDefault("resource", "") + (sub.isEmpty() ? "" : "/" + sub)
              + " " + labels.get("code");
          counts.merge(key, Double.parseDouble(series.group(2)), Double::sum);
        }
      }
    }
    return counts;
  }

  /** The requests answered between two counts, per item, largest first, one per line. */
  static String perItem(Map<String, Double> before, Map<String, Double> after, int items) {
    return after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .map(e -> String.format("    %-45s %8.0f  %6.2f per item", e.getKey(), e.getValue(), e.getValue() / items))
        .collect(Collectors.joining("\n"));
  }
}
