package dev.rebound.model.pipeline;

import java.util.Map;

/**
 * A volume the cluster provisions anew for a restored claim whose backup recorded the old volume's
 * reclaim policy and labels ({@code pvInfo} of a {@code PodVolumeBackup} or {@code CSISnapshot}
 * entry of the backup's volume info): once the claim is bound, the new PersistentVolume gets them
 * back (reference 6.3 step 6, Velero's restore finalizer).
 *
 * @param pvcNamespace the claim's namespace in the backup (mapped at restore time)
 * @param pvName the backed-up volume's name, for Velero's error text
 */
public record PersistentVolumePatch(String pvcNamespace, String pvcName, String pvName, String reclaimPolicy,
    Map<String, String> labels) {

  public PersistentVolumePatch {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
