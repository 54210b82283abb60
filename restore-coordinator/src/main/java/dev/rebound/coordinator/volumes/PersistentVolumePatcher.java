package dev.rebound.coordinator.volumes;

import dev.rebound.model.pipeline.PersistentVolumePatch;
import dev.rebound.model.velero.Result;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Velero's {@code patchDynamicPVWithVolumeInfo} (reference 6.3 step 6, restore finalizer): a claim
 * restored without its volume (pod volume backup or CSI snapshot) is bound by the cluster to a new
 * PersistentVolume, which then gets the backed-up volume's reclaim policy and labels (Velero sets
 * the labels to exactly the backed-up ones). Every claim is looked at each poll until it is done or
 * the resource timeout passes; a claim still {@code Pending} on a {@code WaitForFirstConsumer}
 * class is skipped, as Velero does, since it binds only when a pod uses it.
 */
public final class PersistentVolumePatcher {

  /** What the patching found. */
  public record Outcome(Result errors, List<String> log) {}

  /** Sleeps between looks; a test may pass a clock-advancing one. */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final KubernetesClient kube;
  private final Duration timeout;
  private final Duration pollInterval;
  private final Clock clock;
  private final Sleeper sleeper;

  public PersistentVolumePatcher(KubernetesClient kube, Duration timeout, Duration pollInterval, Clock clock,
      Sleeper sleeper) {
    this.kube = kube;
    this.timeout = timeout;
    this.pollInterval = pollInterval;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * @param patches the claims to wait for, with their target namespace already mapped
   * @param cancelled true once the restore ended otherwise: gives up without a result
   * @return null when cancelled
   */
  public Outcome patch(List<PersistentVolumePatch> patches, BooleanSupplier cancelled) throws InterruptedException {
    Result errors = Result.empty();
    List<String> log = new ArrayList<>();
    List<PersistentVolumePatch> pending = new ArrayList<>(patches);
    Instant deadline = clock.instant().plus(timeout);
    while (!pending.isEmpty()) {
      for (var it = pending.iterator(); it.hasNext(); ) {
        PersistentVolumePatch p = it.next();
        try {
          String done = attempt(p);
          if (done != null) {
            log.add(done);
            it.remove();
          }
        } catch (KubernetesClientException e) {
          if (!transientFailure(e)) {
            errors = errors.add(p.pvcNamespace(), failure(e.getMessage(), p));
            it.remove();
          } // else the target is unreachable or overloaded: looked at again next round, until the timeout
        } catch (PatchFailure e) {
          errors = errors.add(p.pvcNamespace(), failure(e.getMessage(), p));
          it.remove();
        }
      }
      if (pending.isEmpty()) {
        break;
      }
      if (cancelled.getAsBoolean()) {
        return null;
      }
      if (!clock.instant().isBefore(deadline)) {
        for (PersistentVolumePatch p : pending) {
          errors = errors.add(p.pvcNamespace(), failure("context deadline exceeded", p));
        }
        break;
      }
      sleeper.sleep(pollInterval);
    }
    return new Outcome(errors, log);
  }

  /** No answer (fabric8 reports no HTTP code), 429, or a server error that may pass. */
  static boolean transientFailure(KubernetesClientException e) {
    int code = e.getCode();
    return code < 100 || code == 429 || code == 500 || code == 502 || code == 503 || code == 504;
  }

  /** Velero's error: {@code fail to patch dynamic PV, err: <err>, PVC: <claim>, PV: <backed-up volume>}. */
  public static String failure(String err, PersistentVolumePatch p) {
    return "fail to patch dynamic PV, err: " + err + ", PVC: " + p.pvcName() + ", PV: " + p.pvName();
  }

  private static final class PatchFailure extends Exception {
    PatchFailure(String message) {
      super(message);
    }
  }

  /** One look at a claim: a log line once it is done, null while it is not bound yet. */
  private String attempt(PersistentVolumePatch p) throws PatchFailure {
    PersistentVolumeClaim pvc = kube.persistentVolumeClaims().inNamespace(p.pvcNamespace()).withName(p.pvcName()).get();
    if (pvc == null) {
      return null;
    }
    String phase = pvc.getStatus() == null ? null : pvc.getStatus().getPhase();
    if ("Pending".equals(phase) && pvc.getSpec().getStorageClassName() != null) {
      StorageClass sc = kube.storage().v1().storageClasses().withName(pvc.getSpec().getStorageClassName()).get();
      if (sc == null) {
        throw new PatchFailure("storageclasses.storage.k8s.io \"" + pvc.getSpec().getStorageClassName()
            + "\" not found");
      }
      if ("WaitForFirstConsumer".equals(sc.getVolumeBindingMode())) {
        return "skipping PV patch to restore custom reclaim policy, if any: StorageClass " + sc.getMetadata().getName()
            + " used by PVC " + p.pvcName() + " has VolumeBindingMode set to WaitForFirstConsumer, and the PVC is "
            + "also in a pending state";
      }
    }
    String volume = pvc.getSpec().getVolumeName();
    if (!"Bound".equals(phase) || volume == null || volume.isEmpty()) {
      return null;
    }
    PersistentVolume pv = kube.persistentVolumes().withName(volume).get();
    if (pv == null || pv.getSpec().getClaimRef() == null || pv.getStatus() == null
        || !"Bound".equals(pv.getStatus().getPhase())) {
      return null;
    }
    var ref = pv.getSpec().getClaimRef();
    if (!p.pvcName().equals(ref.getName()) || !p.pvcNamespace().equals(ref.getNamespace())) {
      throw new PatchFailure("PV was bound by unexpected PVC, unexpected PVC: " + ref.getNamespace() + "/"
          + ref.getName() + ", expected PVC: " + p.pvcNamespace() + "/" + p.pvcName());
    }
    Map<String, String> current = pv.getMetadata().getLabels() == null ? Map.of() : pv.getMetadata().getLabels();
    boolean needed = !Objects.equals(pv.getSpec().getPersistentVolumeReclaimPolicy(), p.reclaimPolicy())
        || p.labels().entrySet().stream().anyMatch(e -> !e.getValue().equals(current.get(e.getKey())));
    if (!needed) {
      return "persistent volume " + volume + " of claim " + p.pvcNamespace() + "/" + p.pvcName()
          + " already has the backed-up reclaim policy and labels";
    }
    // Velero replaces the labels with the backed-up ones: the others are removed (null in a merge patch).
    com.fasterxml.jackson.databind.node.ObjectNode patch = dev.rebound.model.Json.mapper().createObjectNode();
    com.fasterxml.jackson.databind.node.ObjectNode labels = patch.putObject("metadata").putObject("labels");
    current.keySet().forEach(labels::putNull);
    p.labels().forEach(labels::put);
    patch.putObject("spec").put("persistentVolumeReclaimPolicy", p.reclaimPolicy());
    kube.persistentVolumes().withName(volume).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    return "newly dynamically provisioned PV:" + volume + " has been patched using volume info";
  }
}
