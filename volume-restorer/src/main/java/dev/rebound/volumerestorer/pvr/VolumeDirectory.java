package dev.rebound.volumerestorer.pvr;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a pod's volume is on its node, as Velero's node-agent finds it ({@code GetVolumeDirectory}
 * and {@code SingleVolumePath}): {@code <pods dir>/<pod uid>/volumes/<plugin>/<dir>}, where the
 * directory is the volume's name, or for a claim its PersistentVolume's name (plus {@code /mount}
 * for a CSI volume).
 */
final class VolumeDirectory {

  private VolumeDirectory() {}

  static Path find(KubernetesClient kube, Path podsDir, Pod pod, String volumeName) throws IOException {
    String dir = directoryName(kube, pod, volumeName);
    Path volumes = podsDir.resolve(pod.getMetadata().getUid()).resolve("volumes");
    List<Path> matches = new ArrayList<>();
    if (Files.isDirectory(volumes)) {
      try (DirectoryStream<Path> plugins = Files.newDirectoryStream(volumes)) {
        for (Path plugin : plugins) {
          Path candidate = plugin.resolve(dir);
          if (Files.isDirectory(candidate)) {
            matches.add(candidate);
          }
        }
      }
    }
    if (matches.size() != 1) {
      throw new IOException("expected one matching path: " + volumes.resolve("*").resolve(dir) + ", got "
          + matches.size());
    }
    return matches.get(0);
  }

  private static String directoryName(KubernetesClient kube, Pod pod, String volumeName) throws IOException {
    Volume volume = pod.getSpec().getVolumes().stream().filter(v -> volumeName.equals(v.getName())).findFirst()
        .orElseThrow(() -> new IOException("pod " + pod.getMetadata().getNamespace() + "/"
            + pod.getMetadata().getName() + " has no volume " + volumeName));
    if (volume.getPersistentVolumeClaim() == null) {
      return volumeName;
    }
    String claim = volume.getPersistentVolumeClaim().getClaimName();
    PersistentVolumeClaim pvc = kube.persistentVolumeClaims().inNamespace(pod.getMetadata().getNamespace())
        .withName(claim).get();
    if (pvc == null || pvc.getSpec().getVolumeName() == null || pvc.getSpec().getVolumeName().isEmpty()) {
      throw new IOException("error getting volume directory name: persistent volume claim "
          + pod.getMetadata().getNamespace() + "/" + claim + " is not bound");
    }
    String pvName = pvc.getSpec().getVolumeName();
    PersistentVolume pv = kube.persistentVolumes().withName(pvName).get();
    if (pv == null) {
      throw new IOException("error getting volume directory name: persistentvolumes \"" + pvName + "\" not found");
    }
    return pv.getSpec().getCsi() != null ? pvName + "/mount" : pvName;
  }
}
