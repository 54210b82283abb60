package dev.rebound.itemrestorer.prepare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * The pure parts of Velero's PersistentVolume and claim handling (reference 3.7, 3.6 step 9):
 * binding information reset, claimRef namespace remapped, the clone name of a renamed volume, and
 * a claim pointed at its volume's new name or left to dynamic provisioning.
 */
public final class PersistentVolumes {

  static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
  static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
  public static final String ORIGINAL_PV_NAME = "velero.io/original-pv-name";

  private PersistentVolumes() {}

  /**
   * Velero's {@code resetVolumeBindingInfo}: the claimRef's uid and resourceVersion and the
   * controllers' binding annotations go, so the two objects are bound again in the target.
   */
  public static void resetBinding(ObjectNode item) {
    if (item.path("spec").path("claimRef") instanceof ObjectNode claimRef) {
      claimRef.remove("uid");
      claimRef.remove("resourceVersion");
    }
    if (item.path("metadata").path("annotations") instanceof ObjectNode annotations) {
      annotations.remove(BIND_COMPLETED);
      annotations.remove(BOUND_BY_CONTROLLER);
    }
  }

  /** The claimRef's namespace when the PV is claimed, else null. */
  public static String claimNamespace(JsonNode pv) {
    JsonNode claimRef = pv.path("spec").path("claimRef");
    return claimRef.isObject() ? claimRef.path("namespace").asText("") : null;
  }

  /** Velero's {@code remapClaimRefNS}: the claim's namespace follows {@code namespaceMapping}. */
  public static void remapClaimRef(ObjectNode pv, Map<String, String> namespaceMapping) {
    String namespace = claimNamespace(pv);
    if (namespace != null && namespaceMapping.containsKey(namespace)) {
      ((ObjectNode) pv.path("spec").path("claimRef")).put("namespace", namespaceMapping.get(namespace));
    }
  }

  /**
   * Whether the PV may need a new name (3.7 step 1): the restore maps namespaces and the PV is
   * claimed from a mapped namespace. It is renamed only if a PV of its name exists.
   */
  public static boolean renameCandidate(JsonNode pv, Map<String, String> namespaceMapping) {
    String namespace = claimNamespace(pv);
    return !namespaceMapping.isEmpty() && namespace != null && namespaceMapping.containsKey(namespace);
  }

  /**
   * The new name of a renamed PV, {@code velero-clone-<uuid>}. Velero draws a random UUID; Rebound
   * derives it from the restore's uid and the PV's name (a name-based UUID), so an item delivered
   * twice creates one clone, not two (a deliberate difference with the same format).
   */
  public static String cloneName(String restoreUid, String pvName) {
    return "velero-clone-" + UUID.nameUUIDFromBytes((restoreUid + "/" + pvName).getBytes(StandardCharsets.UTF_8));
  }

  /** Gives the PV its new name and records the old one in {@code velero.io/original-pv-name}. */
  public static void rename(ObjectNode pv, String newName) {
    ObjectNode metadata = pv.with("metadata");
    String old = metadata.path("name").asText();
    metadata.put("name", newName);
    metadata.with("annotations").put(ORIGINAL_PV_NAME, old);
  }

  /**
   * Reference 3.6 step 9, for a claim with a {@code spec.volumeName}: binding annotations go; a
   * re-provisioned volume's name goes (the claim gets a new volume); a renamed volume's new name
   * replaces the old.
   *
   * @param renamedVolume the volume's new name, or null
   */
  public static void followVolume(ObjectNode pvc, boolean provision, String renamedVolume) {
    if (!(pvc.path("spec") instanceof ObjectNode spec) || spec.path("volumeName").asText("").isEmpty()) {
      return;
    }
    resetBinding(pvc);
    if (provision) {
      spec.remove("volumeName");
    } else if (renamedVolume != null) {
      spec.put("volumeName", renamedVolume);
    }
  }
}
