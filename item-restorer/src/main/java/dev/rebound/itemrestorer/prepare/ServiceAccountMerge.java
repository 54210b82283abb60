package dev.rebound.itemrestorer.prepare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Set;

/**
 * Velero's ServiceAccount merge (reference 3.8): an existing ServiceAccount is never reported as
 * "already exists"; the backed-up one's {@code secrets} and {@code imagePullSecrets} entries whose
 * names it lacks are appended, and its labels and annotations whose keys it lacks are added. What
 * the cluster has always wins.
 */
public final class ServiceAccountMerge {

  private ServiceAccountMerge() {}

  /**
   * @param inCluster the in-cluster ServiceAccount, reset as Velero resets it and given the restore labels
   * @param fromBackup the ServiceAccount as it would have been created
   * @return the desired ServiceAccount (a new object)
   */
  public static ObjectNode merge(ObjectNode inCluster, ObjectNode fromBackup) {
    ObjectNode desired = inCluster.deepCopy();
    appendMissingByName(desired, fromBackup, "secrets");
    appendMissingByName(desired, fromBackup, "imagePullSecrets");
    addMissingKeys(desired, fromBackup, "labels");
    addMissingKeys(desired, fromBackup, "annotations");
    return desired;
  }

  private static void appendMissingByName(ObjectNode desired, ObjectNode fromBackup, String field) {
    JsonNode backedUp = fromBackup.path(field);
    if (!backedUp.isArray() || backedUp.isEmpty()) {
      return;
    }
    ArrayNode list = desired.get(field) instanceof ArrayNode a ? a : desired.putArray(field);
    Set<String> names = new HashSet<>();
    list.forEach(e -> names.add(e.path("name").asText()));
    for (JsonNode entry : backedUp) {
      if (names.add(entry.path("name").asText())) {
        list.add(entry.deepCopy());
      }
    }
  }

  private static void addMissingKeys(ObjectNode desired, ObjectNode fromBackup, String field) {
    JsonNode backedUp = fromBackup.path("metadata").path(field);
    if (!backedUp.isObject() || backedUp.isEmpty()) {
      return;
    }
    ObjectNode map = desired.with("metadata").with(field);
    backedUp.fields().forEachRemaining(e -> {
      if (!map.has(e.getKey())) {
        map.set(e.getKey(), e.getValue());
      }
    });
  }
}
