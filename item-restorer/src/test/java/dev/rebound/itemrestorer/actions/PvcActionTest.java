package dev.rebound.itemrestorer.actions;

import static dev.rebound.itemrestorer.actions.ActionFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.actions.ActionOutput.AdditionalItem;
import dev.rebound.model.Json;
import dev.rebound.model.velero.RestoreSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Reference 4, {@code velero.io/pvc}: binding annotations go, the bound volume comes first. */
class PvcActionTest {

  private static final PvcAction ACTION = new PvcAction();

  static Stream<Arguments> annotations() {
    return Stream.of(
        Arguments.of("every listed annotation is removed, others kept",
            "{'pv.kubernetes.io/bind-completed':'yes','pv.kubernetes.io/bound-by-controller':'yes',"
                + "'volume.kubernetes.io/storage-provisioner':'ebs.csi.aws.com',"
                + "'volume.beta.kubernetes.io/storage-provisioner':'ebs.csi.aws.com',"
                + "'volume.kubernetes.io/selected-node':'node-1','velero.io/volume-snapshot-name':'snap',"
                + "'velero.io/data-upload-name':'du-1','team':'a','pv.kubernetes.io/provisioned-by':'x'}",
            "{'team':'a','pv.kubernetes.io/provisioned-by':'x'}"),
        Arguments.of("annotations left empty are removed", "{'pv.kubernetes.io/bind-completed':'yes'}", null),
        Arguments.of("empty annotations are removed, as Go omits them", "{}", null),
        Arguments.of("no annotations at all", null, null),
        Arguments.of("unrelated annotations untouched", "{'a':'1'}", "{'a':'1'}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("annotations")
  void bindingAndProvisioningAnnotationsAreRemovedPerReference4(String rule, String annotations, String expected)
      throws Exception {
    ObjectNode pvc = pvc(annotations, "{'volumeName':'pv-1'}", "{'phase':'Pending'}");

    ActionOutput out = ACTION.execute(input(pvc, pvc.deepCopy()));

    JsonNode actual = out.item().get("metadata").get("annotations");
    assertEquals(expected == null ? null : json(expected), actual, rule);
    assertEquals(json("{'volumeName':'pv-1'}"), out.item().get("spec"), rule + ": spec untouched");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "bound with a volume          | {'volumeName':'pv-1'} | {'phase':'Bound'}   | pv-1",
      "pending                      | {'volumeName':'pv-1'} | {'phase':'Pending'} | ",
      "lost                         | {'volumeName':'pv-1'} | {'phase':'Lost'}    | ",
      "bound without volumeName     | {}                    | {'phase':'Bound'}   | ",
      "bound with empty volumeName  | {'volumeName':''}     | {'phase':'Bound'}   | ",
      "no status                    | {'volumeName':'pv-1'} | {}                  | ",
      "phase is case-sensitive      | {'volumeName':'pv-1'} | {'phase':'bound'}   | "
  })
  void boundVolumeOfTheBackedUpClaimIsAnAdditionalItemPerReference4(String rule, String spec, String status,
      String volume) throws Exception {
    ObjectNode backedUp = pvc(null, spec, status);
    ObjectNode item = backedUp.deepCopy();
    item.remove("status"); // stripped before the actions (reference 3.6 step 7)

    ActionOutput out = ACTION.execute(input(item, backedUp));

    List<AdditionalItem> expected = volume == null ? List.of() : List.of(new AdditionalItem("persistentvolumes", "", volume));
    assertEquals(expected, out.additionalItems(), rule);
    assertFalse(out.skipRestore(), rule);
  }

  @Test
  void volumeNameComesFromTheBackedUpClaimNotTheCurrentItemPerReference4() throws Exception {
    ObjectNode backedUp = pvc(null, "{'volumeName':'pv-old'}", "{'phase':'Bound'}");
    ObjectNode item = pvc(null, "{'volumeName':'pv-changed-by-earlier-action'}", "{}");

    ActionOutput out = ACTION.execute(input(item, backedUp));

    assertEquals(List.of(new AdditionalItem("persistentvolumes", "", "pv-old")), out.additionalItems());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "annotations not a map        | {'metadata':{'annotations':['a']}}          | cannot restore map from slice",
      "annotation value not text    | {'metadata':{'annotations':{'a':1}}}        | cannot convert int64 to string",
      "backed-up phase not text     | {'status':{'phase':true}}                   | unrecognized type: string",
      "backed-up spec not an object | {'spec':'x'}                                | cannot restore struct from: string"
  })
  void malformedClaimFailsWithTheConverterMessagePerReference4(String rule, String claim, String error) throws Exception {
    ObjectNode pvc = (ObjectNode) json(claim);
    ActionException e = assertThrows(ActionException.class, () -> ACTION.execute(input(pvc, pvc.deepCopy())), rule);
    assertEquals(error, e.getMessage(), rule);
  }

  @Test
  void appliesToClaimsOnlyUnderVelerosNamePerReference4() {
    assertEquals("velero.io/pvc", ACTION.name());
    assertTrue(ACTION.appliesTo("persistentvolumeclaims"));
    assertFalse(ACTION.appliesTo("persistentvolumes"));
  }

  private static ObjectNode pvc(String annotations, String spec, String status) throws Exception {
    String metadata = "{'name':'data','namespace':'ns'" + (annotations == null ? "" : ",'annotations':" + annotations) + "}";
    return (ObjectNode) json("{'apiVersion':'v1','kind':'PersistentVolumeClaim','metadata':" + metadata
        + ",'spec':" + spec + ",'status':" + status + "}");
  }

  private static ActionInput input(ObjectNode item, ObjectNode backedUp) {
    return input(item, backedUp, new Nodes(java.util.Set.of(), null, null));
  }

  private static ActionInput input(ObjectNode item, ObjectNode backedUp, TargetLookups cluster) {
    return new ActionInput(item, backedUp,
        new ActionInput.RestoreInfo("r", "uid", RestoreSpec.fromBackup("b")), cluster);
  }

  /** The target cluster as this action sees it: its nodes, the node-mapping ConfigMap's data, a failing node lookup. */
  static final class Nodes extends ActionFixtures.Unread {
    private final java.util.Set<String> nodes;
    private final java.util.Map<String, String> mapping;
    private final String failure;

    Nodes(java.util.Set<String> nodes, java.util.Map<String, String> mapping, String failure) {
      this.nodes = nodes;
      this.mapping = mapping;
      this.failure = failure;
    }

    @Override
    public java.util.Optional<java.util.Map<String, String>> pluginConfig(String actionName) {
      assertEquals("velero.io/change-pvc-node-selector", actionName);
      return java.util.Optional.ofNullable(mapping);
    }

    @Override
    public boolean nodeExists(String name) throws ActionException {
      if (failure != null) {
        throw new ActionException(failure);
      }
      return nodes.contains(name);
    }

  }

  /** Velero 1.16's selected-node handling (pvc_action.go at v1.16.2), the node-mapping ConfigMap of issue 11. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "mapped to an existing node          | node-9         | node-1:node-9 | node-9",
      "mapped to a missing node: kept      |                | node-1:node-7 | node-7",
      "no mapping, the node exists: kept   | node-1         |               | node-1",
      "no mapping, the node is gone        |                |               | ",
      "a mapping for other nodes only      | node-1         | node-2:node-3 | node-1",
  })
  void theSelectedNodeIsMappedKeptOrRemovedAsVelero116Does(String rule, String nodes, String mapping, String expected)
      throws Exception {
    java.util.Map<String, String> data = mapping == null ? null
        : java.util.Map.of(mapping.split(":")[0], mapping.split(":")[1]);
    ObjectNode pvc = pvc("{'volume.kubernetes.io/selected-node':'node-1','team':'a'}", "{}", "{'phase':'Pending'}");
    ActionOutput out = ACTION.execute(input(pvc, pvc.deepCopy(),
        new Nodes(nodes == null ? java.util.Set.of() : java.util.Set.of(nodes), data, null)));
    assertEquals(expected, out.item().at("/metadata/annotations").path("volume.kubernetes.io/selected-node")
        .asText(null), rule);
  }

  @org.junit.jupiter.api.Test
  void aNodeLookupThatFailsIsVelerosError() throws Exception {
    ObjectNode pvc = pvc("{'volume.kubernetes.io/selected-node':'node-1'}", "{}", "{'phase':'Pending'}");
    ActionException plain = org.junit.jupiter.api.Assertions.assertThrows(ActionException.class,
        () -> ACTION.execute(input(pvc, pvc.deepCopy(), new Nodes(java.util.Set.of(), null, "nodes is forbidden"))));
    assertEquals("error checking node node-1 existence: nodes is forbidden", plain.getMessage());
    ActionException mapped = org.junit.jupiter.api.Assertions.assertThrows(ActionException.class,
        () -> ACTION.execute(input(pvc, pvc.deepCopy(), new Nodes(java.util.Set.of(),
            java.util.Map.of("node-1", "node-2"), "nodes is forbidden"))));
    assertEquals("error checking node-1's mapped node node-2 existence: nodes is forbidden", mapped.getMessage());
  }

}
