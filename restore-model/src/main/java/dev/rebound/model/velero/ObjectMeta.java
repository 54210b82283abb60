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
    Map<String, String> annotations,
    Instant deletionTimestamp) {

  @com.fasterxml.jackson.annotation.JsonCreator
  public ObjectMeta {}

  /** Metadata of an object not being deleted. */
  public ObjectMeta(String name, String namespace, String uid, String resourceVersion, Instant creationTimestamp,
      Map<String, String> labels, Map<String, String> annotations) {
    this(name, namespace, uid, resourceVersion, creationTimestamp, labels, annotations, null);
  }

  /** The same metadata, being deleted since {@code at} (Kubernetes' {@code deletionTimestamp}). */
  public ObjectMeta deleting(Instant at) {
    return new ObjectMeta(name, namespace, uid, resourceVersion, creationTimestamp, labels, annotations, at);
  }

  public static ObjectMeta named(String name) {
    return new ObjectMeta(name, null, null, null, null, null, null);
  }

  public ObjectMeta withName(String newName) {
    return new ObjectMeta(newName, namespace, uid, resourceVersion, creationTimestamp, labels, annotations,
        deletionTimestamp);
  }

  /** The same metadata with one annotation set (sorted, as the API server lists them). */
  public ObjectMeta annotated(String key, String value) {
    Map<String, String> all = new java.util.TreeMap<>(annotations == null ? Map.of() : annotations);
    all.put(key, value);
    return new ObjectMeta(name, namespace, uid, resourceVersion, creationTimestamp, labels, all, deletionTimestamp);
  }

  public String label(String key) {
    return labels == null ? null : labels.get(key);
  }

  public String annotation(String key) {
    return annotations == null ? null : annotations.get(key);
  }
}
