package dev.rebound.support.payload;

import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.ItemTask;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The identity of an item task in plain Kafka headers (never the object): an item-restorer that
 * cannot open or read a task's value still knows which item of which restore and wave it was, and
 * so can report the item as failed instead of leaving its wave waiting.
 */
public final class ItemTaskHeaders {

  public static final String RESTORE = "rebound.restore";
  public static final String CLUSTER = "rebound.cluster";
  public static final String WAVE = "rebound.wave";
  public static final String RESOURCE = "rebound.item.resource";
  public static final String GROUP_RESOURCE = "rebound.item.group-resource";
  public static final String NAMESPACE = "rebound.item.namespace";
  public static final String NAME = "rebound.item.name";

  /** Who a task is for, as its headers say. */
  public record Identity(String restore, String cluster, int wave, ItemKey key, String groupResource) {

    /** Velero's resource id in messages, as {@link ItemTask#resourceId()}. */
    public String resourceId() {
      return key.namespace().isEmpty() ? groupResource + "/" + key.name()
          : groupResource + "/" + key.namespace() + "/" + key.name();
    }
  }

  private ItemTaskHeaders() {}

  /** Adds the task's identity to a record's headers. */
  public static void write(Headers headers, ItemTask task) {
    put(headers, RESTORE, task.restore());
    put(headers, CLUSTER, task.cluster());
    put(headers, WAVE, Integer.toString(task.wave()));
    put(headers, RESOURCE, task.key().resource());
    put(headers, GROUP_RESOURCE, task.groupResource());
    put(headers, NAMESPACE, task.key().namespace());
    put(headers, NAME, task.key().name());
  }

  /** The identity the headers carry; empty when one is missing or the wave is not a number (not Rebound's record). */
  public static Optional<Identity> read(Headers headers) {
    Optional<String> restore = get(headers, RESTORE);
    Optional<String> cluster = get(headers, CLUSTER);
    Optional<String> wave = get(headers, WAVE);
    Optional<String> resource = get(headers, RESOURCE);
    Optional<String> groupResource = get(headers, GROUP_RESOURCE);
    Optional<String> namespace = get(headers, NAMESPACE);
    Optional<String> name = get(headers, NAME);
    if (restore.isEmpty() || cluster.isEmpty() || wave.isEmpty() || resource.isEmpty() || groupResource.isEmpty()
        || namespace.isEmpty() || name.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Identity(restore.get(), cluster.get(), Integer.parseInt(wave.get()),
          new ItemKey(resource.get(), namespace.get(), name.get()), groupResource.get()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<String> get(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null ? Optional.empty()
        : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
  }
}
