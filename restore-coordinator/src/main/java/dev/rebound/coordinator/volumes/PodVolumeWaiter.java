package dev.rebound.coordinator.volumes;

import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.RestoreEvent;
import dev.rebound.support.kube.VeleroResources;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Waits for a restored pod's PodVolumeRestores to end, as Velero's restore waits for them
 * (reference 6.2): {@code Completed}, {@code Failed} ("pod volume restore failed: ...") or
 * {@code Canceled} ("pod volume restore canceled: ..."), all bounded by the pod-volume timeout
 * ("timed out waiting for all PodVolumeRestores to complete"). The PodVolumeRestores are read from
 * the target cluster's Velero namespace, where the volume-restorer on the pod's node updates them.
 */
public final class PodVolumeWaiter {

  /** What the wait found. */
  public record Outcome(int volumes, int completed, long bytes, List<String> errors, List<String> log,
      List<RestoreEvent.RestoredPodVolume> restored) {}

  /** Sleeps between looks; a test may pass a clock-advancing one. */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final KubernetesClient kube;
  private final String veleroNamespace;
  private final Duration timeout;
  private final Duration pollInterval;
  private final Clock clock;
  private final Sleeper sleeper;

  public PodVolumeWaiter(KubernetesClient kube, String veleroNamespace, Duration timeout, Duration pollInterval,
      Clock clock, Sleeper sleeper) {
    this.kube = kube;
    this.veleroNamespace = veleroNamespace;
    this.timeout = timeout;
    this.pollInterval = pollInterval;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * @param started when the pod's PodVolumeRestores were made: the timeout counts from there, so a
   *     coordinator that takes over a wait does not grant it a second timeout
   * @param cancelled true once the restore ended otherwise: the wait gives up without a result
   * @return null when cancelled
   */
  public Outcome await(ItemKey pod, List<String> names, Instant started, BooleanSupplier cancelled)
      throws InterruptedException {
    Map<String, GenericKubernetesResource> ended = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    List<String> log = new ArrayList<>();
    Instant deadline = started.plus(timeout);
    while (true) {
      for (String name : names) {
        if (ended.containsKey(name)) {
          continue;
        }
        GenericKubernetesResource pvr;
        try {
          pvr = kube.genericKubernetesResources(VeleroResources.PODVOLUMERESTORES).inNamespace(veleroNamespace)
              .withName(name).get();
        } catch (KubernetesClientException e) {
          log.add("cannot read PodVolumeRestore " + veleroNamespace + "/" + name + " yet: " + e.getMessage());
          continue; // a transient failure: looked at again next round, bounded by the timeout
        }
        if (pvr == null) {
          ended.put(name, null);
          errors.add("pod volume restore failed: podvolumerestores.velero.io \"" + name + "\" not found");
          continue;
        }
        String phase = String.valueOf(status(pvr).getOrDefault("phase", ""));
        String message = String.valueOf(status(pvr).getOrDefault("message", ""));
        switch (phase) {
          case "Completed" -> {
            ended.put(name, pvr);
            log.add("Pod volume restore " + name + " of volume " + volume(pvr) + " completed");
          }
          case "Failed" -> {
            ended.put(name, pvr);
            errors.add("pod volume restore failed: " + message);
          }
          case "Canceled" -> {
            ended.put(name, pvr);
            errors.add("pod volume restore canceled: " + message);
          }
          default -> {
            // New, Accepted, Prepared, InProgress, Canceling: still running
          }
        }
      }
      if (ended.size() == names.size()) {
        return outcome(pod, names, ended, errors, log);
      }
      if (cancelled.getAsBoolean()) {
        return null;
      }
      if (!clock.instant().isBefore(deadline)) {
        errors.add("timed out waiting for all PodVolumeRestores to complete");
        log.add("pod " + pod.namespace() + "/" + pod.name() + ": " + (names.size() - ended.size())
            + " PodVolumeRestores had not ended after " + timeout);
        return outcome(pod, names, ended, errors, log);
      }
      sleeper.sleep(pollInterval);
    }
  }

  private Outcome outcome(ItemKey pod, List<String> names, Map<String, GenericKubernetesResource> ended,
      List<String> errors, List<String> log) {
    int completed = 0;
    long bytes = 0;
    List<RestoreEvent.RestoredPodVolume> restored = new ArrayList<>();
    Pod current = null;
    for (GenericKubernetesResource pvr : ended.values()) {
      if (pvr == null) {
        continue;
      }
      long total = 0;
      Object progress = status(pvr).get("progress");
      if (progress instanceof Map<?, ?> p && p.get("totalBytes") instanceof Number n) {
        total = n.longValue();
      }
      if ("Completed".equals(status(pvr).get("phase"))) {
        completed++;
        if (progress instanceof Map<?, ?> p && p.get("bytesDone") instanceof Number n) {
          bytes += n.longValue();
        }
      }
      if (current == null) {
        current = pod(pod);
      }
      String volume = spec(pvr, "volume");
      String claim = claimOf(current, volume);
      restored.add(new RestoreEvent.RestoredPodVolume(volume, spec(pvr, "snapshotID"), spec(pvr, "uploaderType"), total,
          pod.name(), pod.namespace(), claim, claim == null ? null : volumeOf(pod.namespace(), claim)));
    }
    return new Outcome(names.size(), completed, bytes, errors, log, restored);
  }

  private Pod pod(ItemKey pod) {
    try {
      return kube.pods().inNamespace(pod.namespace()).withName(pod.name()).get();
    } catch (KubernetesClientException e) {
      return null;
    }
  }

  /** The claim behind a pod volume (Velero's {@code pvcByPodvolume}), or null. */
  private static String claimOf(Pod pod, String volume) {
    if (pod == null || pod.getSpec() == null) {
      return null;
    }
    return pod.getSpec().getVolumes().stream().filter(v -> volume.equals(v.getName()))
        .filter(v -> v.getPersistentVolumeClaim() != null).map(v -> v.getPersistentVolumeClaim().getClaimName())
        .findFirst().orElse(null);
  }

  private String volumeOf(String namespace, String claim) {
    try {
      PersistentVolumeClaim pvc = kube.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
      return pvc == null || pvc.getSpec() == null ? null : pvc.getSpec().getVolumeName();
    } catch (KubernetesClientException e) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static String spec(GenericKubernetesResource pvr, String field) {
    Object spec = pvr.getAdditionalProperties().get("spec");
    Object value = spec instanceof Map<?, ?> m ? ((Map<String, Object>) m).get(field) : null;
    return value == null ? "" : value.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(GenericKubernetesResource pvr) {
    Object status = pvr.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static String volume(GenericKubernetesResource pvr) {
    Object spec = pvr.getAdditionalProperties().get("spec");
    return spec instanceof Map<?, ?> m ? String.valueOf(((Map<String, Object>) m).get("volume")) : "";
  }
}
