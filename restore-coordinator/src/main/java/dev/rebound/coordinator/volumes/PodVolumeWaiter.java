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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Waits for a restored pod's PodVolumeRestores to end, as Velero's restore waits for them
 * (reference 6.2): {@code Completed}, {@code Failed} ("pod volume restore failed: ...") or
 * {@code Canceled} ("pod volume restore canceled: ..."), all bounded by the pod-volume timeout
 * ("timed out waiting for all PodVolumeRestores to complete"). Each is also an item operation
 * (reference 6.5) bounded by the restore's {@code itemOperationTimeout} ("Asynchronous action timed
 * out"), which Velero applies to its asynchronous operations. The PodVolumeRestores are read from
 * the target cluster's Velero namespace, where the volume-restorer on the pod's node updates them.
 */
public final class PodVolumeWaiter {

  /** What the wait found. */
  public record Outcome(int volumes, int completed, long bytes, List<String> errors, List<String> log,
      List<RestoreEvent.RestoredPodVolume> restored, List<RestoreEvent.VolumeOperation> operations) {}

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

  /** Velero's error for an operation past {@code itemOperationTimeout} (restore_operations_controller.go). */
  public static final String OPERATION_TIMED_OUT = "Asynchronous action timed out";

  /**
   * @param started when the pod's PodVolumeRestores were made: both timeouts count from there, so a
   *     coordinator that takes over a wait does not grant it a second timeout
   * @param itemOperationTimeout the restore's {@code itemOperationTimeout}: a PodVolumeRestore still
   *     running after it is an item operation that failed with Velero's "Asynchronous action timed out"
   * @param cancelled true once the restore ended otherwise: the wait gives up without a result
   * @return null when cancelled
   */
  public Outcome await(ItemKey pod, List<String> names, Instant started, Duration itemOperationTimeout,
      BooleanSupplier cancelled) throws InterruptedException {
    Map<String, GenericKubernetesResource> ended = new LinkedHashMap<>();
    Map<String, GenericKubernetesResource> lastSeen = new HashMap<>();
    Map<String, String> failures = new HashMap<>();
    Set<String> done = new HashSet<>(); // ended, or failed as an operation (its timeout)
    List<String> errors = new ArrayList<>();
    List<String> log = new ArrayList<>();
    Instant deadline = started.plus(timeout);
    Instant operationDeadline = started.plus(itemOperationTimeout);
    while (true) {
      for (String name : names) {
        if (done.contains(name)) {
          continue;
        }
        GenericKubernetesResource pvr;
        try {
          pvr = kube.genericKubernetesResources(VeleroResources.PODVOLUMERESTORES).inNamespace(veleroNamespace).withName(name).get();
        } catch (KubernetesClientException e) {
          log.add("cannot read PodVolumeRestore " + veleroNamespace + "/" + name + " yet: " + e.getMessage());
          continue; // a transient failure: looked at again next round, bounded by the timeout
        }
        if (pvr == null) {
          done.add(name);
          ended.put(name, null);
          String missing = "podvolumerestores.velero.io \"" + name + "\" not found";
          failures.put(name, missing);
          errors.add("pod volume restore failed: " + missing);
          continue;
        }
        lastSeen.put(name, pvr);
        String phase = String.valueOf(status(pvr).getOrDefault("phase", ""));
        String message = String.valueOf(status(pvr).getOrDefault("message", ""));
        if (phase.equals("Completed") || phase.equals("Failed") || phase.equals("Canceled")) {
          done.add(name);
          ended.put(name, pvr);
        }
        switch (phase) {
          case "Completed" -> log.add("Pod volume restore " + name + " of volume " + spec(pvr, "volume") + " completed");
          case "Failed" -> {
            failures.put(name, message);
            errors.add("pod volume restore failed: " + message);
          }
          case "Canceled" -> {
            failures.put(name, message);
            errors.add("pod volume restore canceled: " + message);
          }
          default -> {
            // New, Accepted, Prepared, InProgress, Canceling: still running, unless past its operation timeout
            if (!clock.instant().isBefore(operationDeadline)) {
              done.add(name);
              failures.put(name, OPERATION_TIMED_OUT);
              errors.add("error from restore item operation: " + OPERATION_TIMED_OUT);
              log.add("PodVolumeRestore " + name + " of volume " + spec(pvr, "volume") + " still " + phase
                  + " after the restore's itemOperationTimeout " + itemOperationTimeout);
            }
          }
        }
      }
      if (done.size() == names.size()) {
        return outcome(pod, names, ended, lastSeen, failures, started, errors, log);
      }
      if (cancelled.getAsBoolean()) {
        return null;
      }
      if (!clock.instant().isBefore(deadline)) {
        errors.add("timed out waiting for all PodVolumeRestores to complete");
        log.add("pod " + pod.namespace() + "/" + pod.name() + ": " + (names.size() - done.size())
            + " PodVolumeRestores had not ended after " + timeout);
        names.stream().filter(n -> !done.contains(n))
            .forEach(n -> failures.put(n, "timed out waiting for all PodVolumeRestores to complete"));
        return outcome(pod, names, ended, lastSeen, failures, started, errors, log);
      }
      sleeper.sleep(pollInterval);
    }
  }

  private Outcome outcome(ItemKey pod, List<String> names, Map<String, GenericKubernetesResource> ended,
      Map<String, GenericKubernetesResource> lastSeen, Map<String, String> failures, Instant started,
      List<String> errors, List<String> log) {
    int completed = 0;
    long bytes = 0;
    List<RestoreEvent.RestoredPodVolume> restored = new ArrayList<>();
    Pod current = null;
    for (GenericKubernetesResource pvr : ended.values()) {
      if (pvr == null) {
        continue;
      }
      if ("Completed".equals(status(pvr).get("phase"))) {
        completed++;
        bytes += progress(pvr, "bytesDone");
      }
      if (current == null) {
        current = pod(pod);
      }
      String volume = spec(pvr, "volume");
      String claim = claimOf(current, volume);
      restored.add(new RestoreEvent.RestoredPodVolume(volume, spec(pvr, "snapshotID"), spec(pvr, "uploaderType"),
          progress(pvr, "totalBytes"), pod.name(), pod.namespace(), claim,
          claim == null ? null : volumeOf(pod.namespace(), claim)));
    }
    List<RestoreEvent.VolumeOperation> operations = new ArrayList<>();
    for (String name : names) {
      GenericKubernetesResource pvr = lastSeen.get(name);
      String failure = failures.get(name);
      Instant created = pvr == null ? started : instant(pvr.getMetadata().getCreationTimestamp(), started);
      Instant began = pvr == null ? null : instant(status(pvr).get("startTimestamp"), null);
      Instant updated = pvr == null ? null : instant(status(pvr).get("completionTimestamp"), began);
      operations.add(new RestoreEvent.VolumeOperation(name, pod.namespace(), pod.name(),
          pvr == null ? null : spec(pvr, "volume"), failure == null ? "Completed" : "Failed", failure,
          pvr == null ? 0 : progress(pvr, "bytesDone"), pvr == null ? 0 : progress(pvr, "totalBytes"), created, began,
          updated));
    }
    return new Outcome(names.size(), completed, bytes, errors, log, restored, operations);
  }

  private static long progress(GenericKubernetesResource pvr, String field) {
    Object progress = status(pvr).get("progress");
    return progress instanceof Map<?, ?> p && p.get(field) instanceof Number n ? n.longValue() : 0;
  }

  private static Instant instant(Object text, Instant otherwise) {
    try {
      return text == null ? otherwise : Instant.parse(text.toString());
    } catch (java.time.format.DateTimeParseException e) {
      return otherwise;
    }
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
}
