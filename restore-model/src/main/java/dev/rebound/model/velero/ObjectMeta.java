package dev.rebound.model.velero;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/** The parts of Kubernetes' ObjectMeta that Velero's own objects (Restore, Backup) carry. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ObjectMeta(
    String name,
    String namespace,
    String uid,
    String resourceVersion,
    Instant creationTimestamp,
    Map<String, String> labels,
    Map<String, String> annotations) {

  public static ObjectMeta named(String name) {
    return new ObjectMeta(name, null, null, null, null, null, null);
  }

  public ObjectMeta withName(String newName) {
    return new ObjectMeta(newName, namespace, uid, resourceVersion, creationTimestamp, labels, annotations);
  }

  public String label(String key) {
    return labels == null ? null : labels.get(key);
  }

  public String annotation(String key) {
    return annotations == null ? null : annotations.get(key);
  }
}
