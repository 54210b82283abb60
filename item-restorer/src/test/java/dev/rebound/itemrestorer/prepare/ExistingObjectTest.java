package dev.rebound.itemrestorer.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.itemrestorer.prepare.ExistingObject.Decision;
import dev.rebound.itemrestorer.prepare.ExistingObject.Policy;
import dev.rebound.model.Json;
import org.junit.jupiter.api.Test;

/** Reference 3.8: an object that already exists, under each existing-resource policy. */
class ExistingObjectTest {

  /** A ConfigMap as the target cluster returns it: server fields set, maybe already labelled. */
  static ObjectNode inCluster(String data, String restoreLabel) throws Exception {
    String labels = restoreLabel == null ? "{\"app\":\"shop\"}"
        : "{\"app\":\"shop\",\"velero.io/backup-name\":\"daily\",\"velero.io/restore-name\":\"" + restoreLabel + "\"}";
    return (ObjectNode) Json.mapper().readTree("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\","
        + "\"namespace\":\"shop\",\"uid\":\"u-1\",\"resourceVersion\":\"99\",\"creationTimestamp\":\"2026-11-22T03:00:00Z\","
        + "\"labels\":" + labels + "},\"data\":" + data + "}");
  }

  /** The backed-up ConfigMap after Velero's preparation for restore "dr-1". */
  static ObjectNode desired(String data) throws Exception {
    ObjectNode item = inCluster(data, null);
    ItemPreparation.resetMetadataAndStatus(item);
    ItemPreparation.addRestoreLabels(item, "dr-1", "daily");
    return item;
  }

  @Test
  void differentObjectWithoutPolicyIsSkippedWithVelerosWarning() throws Exception {
    Decision d = ExistingObject.decide(desired("{\"mode\":\"prod\"}"), inCluster("{\"mode\":\"test\"}", null), Policy.UNSET, "dr-1");
    assertEquals("could not restore, ConfigMap:settings already exists. Warning: the in-cluster "
        + "version is different than the backed-up version", ((Decision.Different) d).warning());
    // What a dry run shows: the merge patch from the live object to the backed-up one.
    assertEquals("prod", ((Decision.Different) d).diff().path("data").path("mode").asText());
    assertEquals("dr-1", ((Decision.Different) d).diff().path("metadata").path("labels").path("velero.io/restore-name")
        .asText());
  }

  @Test
  void differentObjectWithPolicyNoneHasTheQuotedNameWording() throws Exception {
    Decision d = ExistingObject.decide(desired("{\"mode\":\"prod\"}"), inCluster("{\"mode\":\"test\"}", null), Policy.NONE, "dr-1");
    assertEquals("could not restore, ConfigMap \"settings\" already exists. Warning: the "
        + "in-cluster version is different than the backed-up version", ((Decision.Different) d).warning());
  }

  @Test
  void sameObjectIsSkippedWithoutWarningUnlessPolicyUpdate() throws Exception {
    assertEquals(new Decision.Unchanged(),
        ExistingObject.decide(desired("{\"mode\":\"prod\"}"), inCluster("{\"mode\":\"prod\"}", null), Policy.UNSET, "dr-1"));
    assertEquals(new Decision.Unchanged(),
        ExistingObject.decide(desired("{\"mode\":\"prod\"}"), inCluster("{\"mode\":\"prod\"}", null), Policy.NONE, "dr-1"));
    assertEquals(new Decision.LabelOnly(),
        ExistingObject.decide(desired("{\"mode\":\"prod\"}"), inCluster("{\"mode\":\"prod\"}", null), Policy.UPDATE, "dr-1"));
  }

  @Test
  void policyUpdateMergePatchesTheDifferenceIncludingRestoreLabelsAndRemovals() throws Exception {
    Decision d = ExistingObject.decide(desired("{\"mode\":\"prod\"}"), inCluster("{\"mode\":\"test\",\"extra\":\"x\"}", null),
        Policy.UPDATE, "dr-1");
    ObjectNode patch = assertInstanceOf(Decision.Update.class, d).mergePatch();
    assertEquals(Json.mapper().readTree("{\"metadata\":{\"labels\":{\"velero.io/backup-name\":\"daily\","
        + "\"velero.io/restore-name\":\"dr-1\"}},\"data\":{\"mode\":\"prod\",\"extra\":null}}"), patch);
  }

  @Test
  void objectCarryingThisRestoresLabelWasCreatedByAnEarlierDeliveryOfTheSameItem() throws Exception {
    assertEquals(new Decision.RestoredByThisRestore(),
        ExistingObject.decide(desired("{\"mode\":\"prod\"}"), inCluster("{\"mode\":\"prod\"}", "dr-1"), Policy.UNSET, "dr-1"));
  }

  @Test
  void objectLabelledByAnotherRestoreIsAnExistingObjectComparedWithoutItsRestoreLabels() throws Exception {
    // Velero copies the desired restore labels onto the in-cluster copy before comparing.
    assertEquals(new Decision.Unchanged(),
        ExistingObject.decide(desired("{\"mode\":\"prod\"}"), inCluster("{\"mode\":\"prod\"}", "dr-0"), Policy.UNSET, "dr-1"));
    assertInstanceOf(Decision.Different.class,
        ExistingObject.decide(desired("{\"mode\":\"prod\"}"), inCluster("{\"mode\":\"old\"}", "dr-0"), Policy.UNSET, "dr-1"));
  }

  @Test
  void unknownPolicyIsVelerosValidationMessage() {
    assertEquals("Invalid ExistingResourcePolicy: replace",
        assertThrows(IllegalArgumentException.class, () -> Policy.of("replace")).getMessage());
    assertEquals(Policy.UNSET, Policy.of(""));
  }
}
