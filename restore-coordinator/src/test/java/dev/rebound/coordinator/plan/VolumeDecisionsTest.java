package dev.rebound.coordinator.plan;

import dev.rebound.model.pipeline.PersistentVolumePatch;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rebound.model.Json;
import dev.rebound.model.pipeline.NativeSnapshot;
import dev.rebound.model.pipeline.VolumeHint.PersistentVolumeAction;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference 3.7: the volume-info decision table and Velero's legacy fallbacks. */
class VolumeDecisionsTest {

  private static Optional<JsonNode> json(String text) throws Exception {
    return text == null || text.isEmpty() ? Optional.empty() : Optional.of(Json.mapper().readTree(text.replace('\'', '"')));
  }

  private static JsonNode pv(String name, String reclaim, String claimNamespace) throws Exception {
    return Json.mapper().readTree(("{'metadata':{'name':'" + name + "'},'spec':{'persistentVolumeReclaimPolicy':'"
        + reclaim + "'" + (claimNamespace == null ? "" : ",'claimRef':{'namespace':'" + claimNamespace
        + "','name':'data'}") + "}}").replace('\'', '"'));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // volume info (Velero 1.13+) decides when it has an entry for the PV
      "volume info: native snapshot | [{'pvName':'pv-1','backupMethod':'NativeSnapshot'}] | | | | Delete | shop | SNAPSHOT",
      "volume info: pod volume backup | [{'pvName':'pv-1','backupMethod':'PodVolumeBackup'}] | | | | Retain | shop | PROVISION_FOR_POD_VOLUME",
      "volume info: CSI snapshot | [{'pvName':'pv-1','backupMethod':'CSISnapshot'}] | | | | Retain | shop | PROVISION",
      "volume info: skipped, Delete | [{'pvName':'pv-1','backupMethod':''}] | | | | Delete | shop | PROVISION",
      "volume info: skipped, Retain | [{'pvName':'pv-1'}] | | | | Retain | shop | AS_IS",
      "volume info wins over a legacy snapshot | [{'pvName':'pv-1','backupMethod':''}] | [{'spec':{'persistentVolumeName':'pv-1'}}] | | | Retain | shop | AS_IS",
      // legacy: no entry for the PV
      "legacy: native snapshot record | [{'pvName':'other'}] | [{'spec':{'persistentVolumeName':'pv-1'}}] | | | Retain | shop | SNAPSHOT",
      "legacy: pod volume backup of its claim | | | [{'metadata':{'annotations':{'velero.io/pvc-name':'data'}},'spec':{'pod':{'namespace':'shop'}}}] | | Retain | shop | PROVISION_FOR_POD_VOLUME",
      "legacy: pod volume backup of another namespace | | | [{'metadata':{'annotations':{'velero.io/pvc-name':'data'}},'spec':{'pod':{'namespace':'other'}}}] | | Retain | shop | AS_IS",
      "legacy: CSI snapshot of its claim | | | | [{'metadata':{'namespace':'shop'},'spec':{'source':{'persistentVolumeClaimName':'data'}}}] | Retain | shop | PROVISION",
      "legacy: CSI snapshot without a source claim | | | | [{'metadata':{'namespace':'shop'},'spec':{'source':{}}}] | Retain | shop | AS_IS",
      "legacy: unclaimed PV, pod volume backups ignored | | | [{'metadata':{'annotations':{'velero.io/pvc-name':'data'}},'spec':{'pod':{'namespace':'shop'}}}] | | Retain | | AS_IS",
      "legacy: nothing, Delete | | | | | Delete | shop | PROVISION",
      "legacy: nothing, Recycle | | | | | Recycle | shop | AS_IS"
  })
  void eachVolumeIsRestoredAsVeleroDecides(String rule, String volumeInfo, String snapshots, String pvbs, String csi,
      String reclaim, String claimNamespace, PersistentVolumeAction expected) throws Exception {
    VolumeDecisions decisions = VolumeDecisions.of(json(volumeInfo), json(snapshots), json(pvbs), json(csi));
    assertEquals(expected, decisions.decide(pv("pv-1", reclaim, claimNamespace)), rule);
  }

  @org.junit.jupiter.api.Test
  void theSnapshotRecordOfAVolumeIsTheFirstOfItsNameWithEveryFieldAVolumeSnapshotterNeeds() throws Exception {
    // Shaped as Velero 1.18 writes <b>-volumesnapshots.json.gz (reference 6.1).
    VolumeDecisions decisions = VolumeDecisions.of(Optional.empty(), json("[{'spec':{'backupName':'b','backupUID':'u',"
        + "'location':'aws-east','persistentVolumeName':'pv-1','providerVolumeID':'vol-0src','volumeType':'io2',"
        + "'volumeAZ':'us-east-1a','volumeIOPS':4000},'status':{'providerSnapshotID':'snap-0abc','phase':'Completed'}},"
        + "{'spec':{'location':'other','persistentVolumeName':'pv-1'}},"
        + "{'spec':{'location':'default','persistentVolumeName':'pv-2','volumeType':'gp3'},'status':{'phase':'Failed'}}]"),
        Optional.empty(), Optional.empty());
    assertEquals(Optional.of(new NativeSnapshot("aws-east", "snap-0abc", "io2", "us-east-1a", 4000L, "Completed")),
        decisions.snapshot("pv-1"));
    assertEquals(Optional.of(new NativeSnapshot("default", null, "gp3", null, null, "Failed")), decisions.snapshot("pv-2"));
    assertEquals(Optional.empty(), decisions.snapshot("pv-3"));
  }

  /** Reference 6.3 step 6: the finalizer patches only re-provisioned volumes whose backup recorded pvInfo. */
  @org.junit.jupiter.api.Test
  void podVolumeAndCsiEntriesWithPvInfoAreTheVolumesToPatchAfterBinding() throws Exception {
    VolumeDecisions decisions = VolumeDecisions.of(json("[{'pvcName':'data','pvcNamespace':'shop','pvName':'pv-1',"
        + "'backupMethod':'PodVolumeBackup','pvInfo':{'reclaimPolicy':'Retain','labels':{'app':'orders'}}},"
        + "{'pvcName':'cache','pvcNamespace':'shop','pvName':'pv-2','backupMethod':'CSISnapshot','pvInfo':"
        + "{'reclaimPolicy':'Delete'}},"
        + "{'pvcName':'logs','pvcNamespace':'shop','pvName':'pv-3','backupMethod':'NativeSnapshot','pvInfo':"
        + "{'reclaimPolicy':'Retain'}},"
        + "{'pvcName':'tmp','pvcNamespace':'shop','pvName':'pv-4','backupMethod':'PodVolumeBackup'}]"),
        Optional.empty(), Optional.empty(), Optional.empty());
    assertEquals(java.util.List.of(
        new PersistentVolumePatch("shop", "data", "pv-1", "Retain", java.util.Map.of("app", "orders")),
        new PersistentVolumePatch("shop", "cache", "pv-2", "Delete", java.util.Map.of())),
        decisions.persistentVolumePatches());
  }
}
