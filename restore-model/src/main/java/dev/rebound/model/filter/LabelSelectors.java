package dev.rebound.model.filter;

import dev.rebound.model.velero.LabelSelector;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kubernetes label-selector semantics for a Restore's {@code labelSelector},
 * {@code orLabelSelectors} and hook selectors: matchLabels and matchExpressions all must hold.
 */
public final class LabelSelectors {

  private LabelSelectors() {}

  /** A null selector selects everything, as Velero treats an unset {@code labelSelector}. */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    Map<String, String> l = labels == null ? Map.of() : labels;
    if (selector.matchLabels() != null) {
      for (var e : selector.matchLabels().entrySet()) {
        if (!e.getValue().equals(l.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.matchExpressions() != null) {
      for (LabelSelector.Requirement r : selector.matchExpressions()) {
        if (!matches(r, l)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Velero's item rule (reference 3.3 step 6): labelSelector, then at least one orLabelSelector if any. */
  public static boolean selects(LabelSelector labelSelector, List<LabelSelector> orLabelSelectors,
      Map<String, String> labels) {
    if (!matches(labelSelector, labels)) {
      return false;
    }
    if (orLabelSelectors == null || orLabelSelectors.isEmpty()) {
      return true;
    }
    return orLabelSelectors.stream().anyMatch(s -> matches(s, labels));
  }

  /**
   * The first error converting the selector to a Kubernetes selector, in apimachinery's words
   * ({@code LabelSelectorAsSelector}); empty when it is valid.
   */
  public static Optional<String> validate(LabelSelector selector) {
    if (selector == null || selector.matchExpressions() == null) {
      return Optional.empty();
    }
    for (LabelSelector.Requirement r : selector.matchExpressions()) {
      List<String> values = r.values() == null ? List.of() : r.values();
      switch (String.valueOf(r.operator())) {
        case "In", "NotIn" -> {
          if (values.isEmpty()) {
            return Optional.of("for 'in', 'notin' operators, values set can't be empty");
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (!values.isEmpty()) {
            return Optional.of("values set must be empty for exists and does not exist");
          }
        }
        default -> {
          return Optional.of("\"" + r.operator() + "\" is not a valid label selector operator");
        }
      }
    }
    return Optional.empty();
  }

  private static boolean matches(LabelSelector.Requirement r, Map<String, String> labels) {
    List<String> values = r.values() == null ? List.of() : r.values();
    return switch (r.operator()) {
      case "In" -> labels.containsKey(r.key()) && values.contains(labels.get(r.key()));
      case "NotIn" -> !labels.containsKey(r.key()) || !values.contains(labels.get(r.key()));
      case "Exists" -> labels.containsKey(r.key());
      case "DoesNotExist" -> !labels.containsKey(r.key());
      default -> throw new IllegalArgumentException("\"" + r.operator() + "\" is not a valid label selector operator");
    };
  }
}
