package dev.rebound.itemrestorer.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import dev.rebound.model.velero.RestoreSpec;

/** Items and specs as the item restore tests write them: JSON, Restore specs, backed-up volumes and claims. */
final class TestItems {

  private TestItems() {}

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) Json.mapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  static RestoreSpec spec(String json) {
    try {
      return Json.mapper().readValue(json, RestoreSpec.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  static ObjectNode backedUpPv(String name, String claimNamespace, String reclaim) {
    return json("{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolume\",\"metadata\":{\"name\":\"" + name + "\","
        + "\"uid\":\"9f1c\",\"annotations\":{\"pv.kubernetes.io/bound-by-controller\":\"yes\"}},\"spec\":{"
        + "\"capacity\":{\"storage\":\"1Gi\"},\"accessModes\":[\"ReadWriteOnce\"],\"persistentVolumeReclaimPolicy\":\""
        + reclaim + "\",\"storageClassName\":\"manual\",\"hostPath\":{\"path\":\"/tmp/" + name + "\"},"
        + "\"claimRef\":{\"kind\":\"PersistentVolumeClaim\",\"namespace\":\"" + claimNamespace + "\",\"name\":"
        + "\"data\",\"uid\":\"c1\",\"resourceVersion\":\"5\"}},\"status\":{\"phase\":\"Bound\"}}");
  }

  static ObjectNode boundClaim(String ns, String volume) {
    return boundClaim(ns, volume, "manual");
  }

  /** @param storageClass a class of its own keeps the cluster's PV controller from binding it to another test's volume */
  static ObjectNode boundClaim(String ns, String volume, String storageClass) {
    return json("{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"data\","
        + "\"namespace\":\"" + ns + "\",\"annotations\":{\"pv.kubernetes.io/bind-completed\":\"yes\"}},\"spec\":{"
        + "\"accessModes\":[\"ReadWriteOnce\"],\"storageClassName\":\"" + storageClass + "\",\"volumeName\":\""
        + volume + "\","
        + "\"resources\":{\"requests\":{\"storage\":\"1Gi\"}}},\"status\":{\"phase\":\"Bound\"}}");
  }
}
