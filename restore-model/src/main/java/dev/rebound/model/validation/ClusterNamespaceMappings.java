package dev.rebound.model.validation;

import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestoreSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Extension: a namespace mapping of one target cluster's own. A restore into several clusters
 * restores the whole backup into each, with the same {@code spec.namespaceMapping}; the annotation
 * {@code rebound.dev/namespace-mappings.<cluster>} maps namespaces in that cluster alone, in the
 * format of Velero's {@code --namespace-mappings} flag ({@code src1:dst1,src2:dst2}). Its entries
 * are merged over {@code spec.namespaceMapping}: for a source namespace it names, the cluster's
 * target wins; other source namespaces keep the spec's mapping. So the parts of a fleet restore can
 * land in namespaces of their own (ten clusters that are one API server behind ten endpoints among
 * them).
 */
public final class ClusterNamespaceMappings {

  /** The annotation's prefix; the target cluster's name follows it. */
  public static final String PREFIX = "rebound.dev/namespace-mappings.";

  private ClusterNamespaceMappings() {}

  /** The annotation that maps namespaces in {@code cluster}. */
  public static String annotation(String cluster) {
    return PREFIX + cluster;
  }

  /**
   * The validation errors of the restore's per-cluster mappings, in the words of Velero's validation
   * errors and of its flag parser; empty when every one is valid or there is none.
   *
   * @param targets the restore's target clusters: a mapping for any other cluster is an error (a
   *     misspelt cluster would otherwise restore into the spec's namespaces unnoticed)
   */
  public static List<String> validate(Restore restore, Collection<String> targets) {
    List<String> errors = new ArrayList<>();
    mappings(restore).forEach((key, value) -> {
      String cluster = key.substring(PREFIX.length());
      if (!targets.contains(cluster)) {
        errors.add("Invalid annotation " + key + ": \"" + cluster + "\" is not a target cluster of this restore ("
            + String.join(", ", targets) + ")");
        return;
      }
      try {
        parse(value);
      } catch (IllegalArgumentException e) {
        errors.add("Invalid annotation " + key + ": " + e.getMessage());
      }
    });
    return errors;
  }

  /**
   * The spec the restore's part in {@code cluster} is planned and restored with: {@code spec} with the
   * cluster's mapping merged over its {@code namespaceMapping}; {@code spec} itself when the cluster
   * has none.
   *
   * @throws IllegalArgumentException when the cluster's mapping is invalid ({@link #validate} says so first)
   */
  public static RestoreSpec forCluster(Restore restore, RestoreSpec spec, String cluster) {
    String value = annotations(restore).get(annotation(cluster));
    if (value == null) {
      return spec;
    }
    Map<String, String> merged = new LinkedHashMap<>(spec.namespaceMapping() == null ? Map.of()
        : spec.namespaceMapping());
    merged.putAll(parse(value));
    return spec.withNamespaceMapping(merged);
  }

  /**
   * Velero's {@code --namespace-mappings} format: entries separated by {@code ,}, each a source and a
   * target namespace separated by the first {@code :}; a later entry for the same source wins.
   * Unlike Velero's flag, an empty side is refused (no namespace has an empty name).
   */
  static Map<String, String> parse(String value) {
    Map<String, String> mapping = new LinkedHashMap<>();
    for (String part : value.split(",", -1)) {
      int colon = part.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("error parsing \"" + part + "\"");
      }
      String source = part.substring(0, colon).strip();
      String target = part.substring(colon + 1).strip();
      if (source.isEmpty() || target.isEmpty()) {
        throw new IllegalArgumentException("error parsing \"" + part + "\": a namespace name cannot be empty");
      }
      mapping.put(source, target);
    }
    return mapping;
  }

  /** The restore's per-cluster mapping annotations, sorted by name. */
  private static Map<String, String> mappings(Restore restore) {
    Map<String, String> found = new TreeMap<>();
    annotations(restore).forEach((key, value) -> {
      if (key.startsWith(PREFIX)) {
        found.put(key, value);
      }
    });
    return found;
  }

  private static Map<String, String> annotations(Restore restore) {
    return restore == null || restore.metadata() == null || restore.metadata().annotations() == null ? Map.of()
        : restore.metadata().annotations();
  }
}
