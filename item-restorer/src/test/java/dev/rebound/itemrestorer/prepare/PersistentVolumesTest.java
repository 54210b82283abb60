package dev.rebound.itemrestorer.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference 3.7 and 3.6 step 9: the shaping of PersistentVolumes and their claims. */
class PersistentVolumesTest {

  private static ObjectNode json(String singleQuoted) throws Exception {
    return (ObjectNode) Json.mapper().readTree(singleQuoted.replace('\'', '"'));
  }

  private static ObjectNode pv() throws Exception {
    return json("{'metadata':{'name':'pv-1','annotations':{'pv.kubernetes.io/bind-completed':'yes',"
        + "'pv.kubernetes.io/bound-by-controller':'yes','keep':'me'}},'spec':{'claimRef':{'kind':"
        + "'PersistentVolumeClaim','namespace':'shop','name':'data','uid':'u1','resourceVersion':'9'}}}");
  }

  @Test
  void bindingIsResetSoTheTargetBindsThemAgain() throws Exception {
    ObjectNode pv = pv();
    PersistentVolumes.resetBinding(pv);
    assertEquals(json("{'kind':'PersistentVolumeClaim','namespace':'shop','name':'data'}"), pv.at("/spec/claimRef"));
    assertEquals(json("{'keep':'me'}"), pv.at("/metadata/annotations"));
  }

  @ParameterizedTest(name = "mapping {0}: claimRef namespace {1}, rename candidate {2}")
  @CsvSource({"shop=shop-restored, shop-restored, true", "other=elsewhere, shop, false", "'', shop, false"})
  void theClaimFollowsTheNamespaceMapping(String mapping, String namespace, boolean candidate) throws Exception {
    Map<String, String> m = mapping.isEmpty() ? Map.of() : Map.of(mapping.split("=")[0], mapping.split("=")[1]);
    ObjectNode pv = pv();
    assertEquals(candidate, PersistentVolumes.renameCandidate(pv, m));
    PersistentVolumes.remapClaimRef(pv, m);
    assertEquals(namespace, pv.at("/spec/claimRef/namespace").asText());
  }

  @Test
  void anUnclaimedVolumeIsNeverRenamed() throws Exception {
    assertEquals(false, PersistentVolumes.renameCandidate(json("{'metadata':{'name':'pv-2'},'spec':{}}"),
        Map.of("shop", "shop-restored")));
  }

  @Test
  void aRenamedVolumeIsAVeleroCloneThatRemembersItsName() throws Exception {
    ObjectNode pv = pv();
    String clone = PersistentVolumes.cloneName("restore-uid", "pv-1");
    assertTrue(clone.matches("velero-clone-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), clone);
    assertEquals(clone, PersistentVolumes.cloneName("restore-uid", "pv-1"), "the same item gets the same clone");
    assertTrue(!clone.equals(PersistentVolumes.cloneName("other-restore", "pv-1")));
    PersistentVolumes.rename(pv, clone);
    assertEquals(clone, pv.at("/metadata/name").asText());
    assertEquals("pv-1", pv.at("/metadata/annotations/velero.io~1original-pv-name").asText());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "re-provisioned: volumeName cleared | true | | ",
      "renamed: new volumeName | false | velero-clone-1 | velero-clone-1",
      "neither: kept | false | | pv-1"})
  void aClaimFollowsItsVolume(String rule, boolean provision, String renamed, String volumeName) throws Exception {
    ObjectNode pvc = json("{'metadata':{'name':'data','annotations':{'pv.kubernetes.io/bind-completed':'yes'}},"
        + "'spec':{'volumeName':'pv-1'}}");
    PersistentVolumes.followVolume(pvc, provision, renamed);
    assertEquals(volumeName == null ? "" : volumeName, pvc.at("/spec/volumeName").asText(""), rule);
    assertTrue(pvc.at("/metadata/annotations").isEmpty(), rule);
  }
}
