package dev.rebound.itemrestorer.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reference 3.6 steps 7 and 12. */
class ItemPreparationTest {

  static ObjectNode item(String json) throws Exception {
    return (ObjectNode) Json.mapper().readTree(json);
  }

  private static final String LIVE_POD = """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"shop","generateName":"web-",
       "selfLink":"/api/v1/namespaces/shop/pods/web-1","uid":"5c7e","resourceVersion":"4711","generation":3,
       "creationTimestamp":"2026-11-21T02:00:00Z","deletionTimestamp":"2026-11-21T03:00:00Z",
       "deletionGracePeriodSeconds":30,"ownerReferences":[{"kind":"ReplicaSet","name":"web","uid":"9a"}],
       "labels":{"app":"web"},"annotations":{"a":"b"},"finalizers":["example.com/keep"],
       "managedFields":[{"manager":"kubectl"}]},
       "spec":{"containers":[{"name":"web","image":"nginx"}]},"status":{"phase":"Running","podIP":"10.1.2.3"}}
      """;

  @Test
  void serverSetMetadataAndStatusAreRemoved() throws Exception {
    ObjectNode pod = item(LIVE_POD);
    ItemPreparation.resetMetadataAndStatus(pod);
    List<String> kept = new java.util.ArrayList<>();
    pod.get("metadata").fieldNames().forEachRemaining(kept::add);
    assertEquals(List.of("name", "namespace", "labels", "annotations", "finalizers", "managedFields"), kept);
    assertFalse(pod.has("status"));
    assertEquals("nginx", pod.at("/spec/containers/0/image").asText(), "spec is untouched");
  }

  @Test
  void itemWithoutMetadataIsVelerosError() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ItemPreparation.resetMetadataAndStatus(item("{\"kind\":\"ConfigMap\"}")));
    assertEquals("metadata not found", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ItemPreparation.resetMetadataAndStatus(item("{\"kind\":\"ConfigMap\",\"metadata\":[1]}")));
    assertEquals("metadata was of type array, expected an object", e.getMessage());
  }

  @Test
  void restoreLabelsAreAddedNextToTheItemsOwnLabels() throws Exception {
    ObjectNode pod = item(LIVE_POD);
    ItemPreparation.addRestoreLabels(pod, "shop-dr-20261122030000", "shop-daily-20261121020000");
    assertEquals("web", pod.at("/metadata/labels/app").asText());
    assertEquals("shop-daily-20261121020000", pod.at("/metadata/labels/velero.io~1backup-name").asText());
    assertEquals("shop-dr-20261122030000", pod.at("/metadata/labels/velero.io~1restore-name").asText());
  }

  @Test
  void restoreLabelsAreAddedToAnItemWithoutLabels() throws Exception {
    ObjectNode cm = item("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}");
    ItemPreparation.addRestoreLabels(cm, "r", "b");
    assertTrue(cm.at("/metadata/labels").isObject());
    assertEquals(2, cm.at("/metadata/labels").size());
  }
}
