package dev.rebound.itemrestorer.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reference 4: the built-in actions run in Velero's order, each seeing the previous one's output. */
class RestoreItemActionsTest {

  @Test
  void builtInActionsRunInVelerosOrder() {
    List<String> names = RestoreItemActions.builtIn("rebound/restore-helper:it").stream().map(RestoreItemAction::name).toList();
    // Velero registers its v1 actions sorted by name, then its v2 (CSI) actions sorted by name;
    // dataupload is not built in yet.
    List<String> v1 = List.of("velero.io/add-pvc-from-pod", "velero.io/admission-webhook-configuration",
        "velero.io/apiservice", "velero.io/change-image-name", "velero.io/change-storage-class",
        "velero.io/cluster-role-bindings", "velero.io/crd-preserve-fields", "velero.io/init-restore-hook",
        "velero.io/job", "velero.io/pod", "velero.io/pod-volume-restore", "velero.io/pvc", "velero.io/role-bindings", "velero.io/secret",
        "velero.io/service", "velero.io/service-account");
    List<String> v2 = List.of("velero.io/csi-pvc-restorer", "velero.io/csi-volumesnapshot-restorer",
        "velero.io/csi-volumesnapshotclass-restorer", "velero.io/csi-volumesnapshotcontent-restorer");
    assertEquals(v1, names.subList(0, v1.size()));
    assertEquals(v2, names.subList(v1.size(), names.size()));
    assertEquals(v1.stream().sorted().toList(), v1);
    assertEquals(v2.stream().sorted().toList(), v2);
  }
}
