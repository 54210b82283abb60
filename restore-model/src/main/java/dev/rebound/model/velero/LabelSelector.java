package dev.rebound.model.velero;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Kubernetes' metav1.LabelSelector, as used in a Restore's spec and its hooks. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

  /** One {@code matchExpressions} entry: operator In, NotIn, Exists or DoesNotExist. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Requirement(String key, String operator, List<String> values) {}

  public static LabelSelector matchLabels(Map<String, String> labels) {
    return new LabelSelector(labels, null);
  }
}
