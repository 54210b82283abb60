package dev.rebound.itemrestorer.actions;

import static dev.rebound.itemrestorer.actions.ActionFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.velero.RestoreSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference 4, {@code velero.io/change-storage-class}: mapped classes, which must exist in the target. */
class ChangeStorageClassActionTest {

  /** A cluster with a plugin ConfigMap (or none) and some StorageClasses; records the classes looked up. */
  private static final class Cluster extends ActionFixtures.Unread {
    final Map<String, String> config;
    final Set<String> classes;
    final List<String> lookedUp = new ArrayList<>();

    Cluster(Map<String, String> config, Set<String> classes) {
      this.config = config;
      this.classes = classes;
    }

    @Override
    public Optional<Map<String, String>> pluginConfig(String actionName) {
      assertEquals("velero.io/change-storage-class", actionName);
      return Optional.ofNullable(config);
    }

    @Override
    public void requireStorageClass(String name) throws ActionException {
      lookedUp.add(name);
      if (!classes.contains(name)) {
        throw new ActionException("error getting storage class " + name + " from API: storageclasses.storage.k8s.io \""
            + name + "\" not found");
      }
    }

  }

  private static ObjectNode run(ObjectNode item, Cluster cluster) throws ActionException {
    return new ChangeStorageClassAction().execute(new ActionInput(item, item.deepCopy(),
        new ActionInput.RestoreInfo("r", "u", RestoreSpec.fromBackup("b")), cluster)).item();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "mapped class replaced          | standard | {'standard':'fast'} | fast",
      "unmapped class kept            | slow     | {'standard':'fast'} | slow",
      "no class: nothing to map       |          | {'standard':'fast'} | ",
      "no plugin ConfigMap: unchanged | standard |                     | standard",
      "empty plugin ConfigMap         | standard | {}                  | standard"})
  void claimsAndVolumesGetTheMappedClass(String rule, String current, String config, String expected)
      throws Exception {
    ObjectNode pvc = (ObjectNode) json("{'kind':'PersistentVolumeClaim','spec':{" + (current == null ? ""
        : "'storageClassName':'" + current + "'") + "}}");
    Map<String, String> data = config == null ? null : new java.util.TreeMap<>(
        dev.rebound.model.Json.mapper().convertValue(json(config), Map.class));
    ObjectNode out = run(pvc, new Cluster(data, Set.of("fast")));
    assertEquals(expected == null ? "" : expected, out.at("/spec/storageClassName").asText(""), rule);
  }

  @Test
  void aStatefulSetsClaimTemplatesAreMappedOneByOne() throws Exception {
    ObjectNode sts = (ObjectNode) json("{'kind':'StatefulSet','spec':{'volumeClaimTemplates':["
        + "{'metadata':{'name':'data'},'spec':{'storageClassName':'standard'}},"
        + "{'metadata':{'name':'logs'},'spec':{'storageClassName':'other'}},"
        + "{'metadata':{'name':'tmp'},'spec':{}}]}}");
    Cluster cluster = new Cluster(Map.of("standard", "fast"), Set.of("fast"));
    ObjectNode out = run(sts, cluster);
    assertEquals("fast", out.at("/spec/volumeClaimTemplates/0/spec/storageClassName").asText());
    assertEquals("other", out.at("/spec/volumeClaimTemplates/1/spec/storageClassName").asText());
    assertEquals("", out.at("/spec/volumeClaimTemplates/2/spec/storageClassName").asText(""));
    assertEquals(List.of("fast"), cluster.lookedUp);
  }

  @Test
  void aMissingTargetClassFailsTheItem() throws Exception {
    ObjectNode pv = (ObjectNode) json("{'kind':'PersistentVolume','spec':{'storageClassName':'standard'}}");
    ActionException e = assertThrows(ActionException.class,
        () -> run(pv, new Cluster(Map.of("standard", "gone"), Set.of())));
    assertEquals("error getting storage class gone from API: storageclasses.storage.k8s.io \"gone\" not found",
        e.getMessage());
  }
}
