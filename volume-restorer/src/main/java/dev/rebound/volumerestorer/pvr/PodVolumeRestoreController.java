package dev.rebound.volumerestorer.pvr;

import dev.rebound.storage.StorageLocations;
import dev.rebound.support.kube.TargetClusters;
import dev.rebound.support.kube.VeleroResources;
import dev.rebound.support.settings.ServiceSettings;
import dev.rebound.volumerestorer.config.VolumeRestorerConfig;
import dev.rebound.volumerestorer.restic.ResticRepositories;
import dev.rebound.volumerestorer.restic.ResticRestore;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * What Velero's node-agent does for PodVolumeRestores (reference 6.2), for the pods of this
 * instance's node: once a pod's {@code restore-wait} init container runs, each of its
 * PodVolumeRestores goes {@code InProgress}; the volume's snapshot is restored with restic into the
 * volume's directory under the kubelet's pods directory; the done file
 * {@code <volume>/.velero/<restore UID>} is written (the init container then lets the application
 * start) and the PodVolumeRestore ends {@code Completed}, or {@code Failed} with the error.
 *
 * <p>A PodVolumeRestore left {@code InProgress} on this node by an instance that died is taken
 * again: restored again while the pod still waits (restic rewrites every file, so the result is
 * exact), or marked {@code Completed} when its done file was already written (the application may
 * be running on the data; it is never overwritten). Velero marks such a restore Failed instead.
 */
@ApplicationScoped
public class PodVolumeRestoreController {

  private static final Logger LOG = Logger.getLogger(PodVolumeRestoreController.class);
  static final String WAIT_CONTAINER = "restore-wait";
  static final String REPO_SECRET = "velero-repo-credentials";
  static final String REPO_PASSWORD_KEY = "repository-password";
  static final String DEFAULT_REPO_PASSWORD = "static-passw0rd";
  private static final String RESTORE_UID = "velero.io/restore-uid";
  private static final long PROGRESS_EVERY_SECONDS = 10;

  private final TargetClusters clusters;
  private final VolumeRestorerConfig config;
  private final ResticRepositories repositories;
  private final ServiceSettings settings;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService scheduler;
  private ExecutorService workers;
  private ResticRestore restic;

  PodVolumeRestoreController(TargetClusters clusters, VolumeRestorerConfig config, ResticRepositories repositories,
      ServiceSettings settings) {
    this.repositories = repositories;
    this.clusters = clusters;
    this.config = config;
    this.settings = settings;
  }

  void start(@Observes StartupEvent event) {
    if (config.nodeName().isEmpty()) {
      LOG.info("rebound.volume-restorer.node-name is not set: this instance restores no pod volumes");
      return;
    }
    restic = new ResticRestore(config.resticCommand(), Path.of(config.resticCacheDir()), repositories.environment());
    scheduler = Executors.newSingleThreadScheduledExecutor(daemon("pod-volume-restores"));
    workers = Executors.newFixedThreadPool(config.concurrentVolumes(), daemon("pod-volume-restore"));
    settings.onceValid(() -> {
      LOG.infof("restoring the pod volumes of node %s from %s", config.nodeName().get(), config.podsDir());
      scheduler.scheduleWithFixedDelay(this::poll, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    });
  }

  void stop(@Observes ShutdownEvent event) {
    if (scheduler != null) {
      scheduler.shutdownNow();
      workers.shutdownNow();
      restic.close();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  // ---- one round (scheduler thread)

  private void poll() {
    for (String cluster : clusters.names()) {
      try {
        KubernetesClient kube = clusters.client(cluster);
        List<GenericKubernetesResource> open = kube.genericKubernetesResources(VeleroResources.PODVOLUMERESTORES)
            .inNamespace(config.veleroNamespace()).list().getItems().stream().filter(this::open).toList();
        if (open.isEmpty()) {
          continue;
        }
        // One request for this node's pods, however many PodVolumeRestores wait (a node-agent per
        // node must not read every pod of the cluster each round).
        Map<String, Pod> podsHere = new java.util.HashMap<>();
        kube.pods().inAnyNamespace().withField("spec.nodeName", config.nodeName().get()).list().getItems()
            .forEach(p -> podsHere.put(p.getMetadata().getUid(), p));
        for (GenericKubernetesResource pvr : open) {
          Pod pod = podsHere.get(text(pvr, "spec", "pod", "uid"));
          if (pod != null) {
            consider(cluster, kube, pvr, pod);
          }
        }
      } catch (KubernetesClientException e) {
        LOG.debugf("cluster %s: cannot list PodVolumeRestores: %s", cluster, e.getMessage());
      } catch (RuntimeException e) {
        LOG.errorf(e, "cluster %s: PodVolumeRestores not looked at", cluster);
      }
    }
  }

  /** New, or left InProgress on this node by an instance that is gone; not one this instance runs. */
  private boolean open(GenericKubernetesResource pvr) {
    String phase = text(pvr, "status", "phase");
    boolean mine = config.nodeName().get().equals(text(pvr, "status", "node"));
    return phase.isEmpty() || phase.equals("New") || (phase.equals("InProgress") && mine);
  }

  /** A PodVolumeRestore of a pod on this node (a pod not scheduled yet waits; the coordinator's timeout bounds it). */
  private void consider(String cluster, KubernetesClient kube, GenericKubernetesResource pvr, Pod pod) {
    String key = cluster + "/" + pvr.getMetadata().getUid();
    String phase = text(pvr, "status", "phase");
    if (inFlight.contains(key)) {
      return;
    }
    Optional<ContainerStatus> wait = Optional.ofNullable(pod.getStatus()).map(s -> s.getInitContainerStatuses())
        .flatMap(list -> list.stream().filter(c -> WAIT_CONTAINER.equals(c.getName())).findFirst());
    boolean waiting = wait.map(c -> c.getState() != null && c.getState().getRunning() != null).orElse(false);
    boolean waited = wait.map(c -> c.getState() != null && c.getState().getTerminated() != null).orElse(false);
    if (!waiting && !(phase.equals("InProgress") && waited)) {
      return; // Velero's node-agent too waits for the init container to run
    }
    inFlight.add(key);
    workers.submit(() -> {
      try {
        restore(kube, pvr, pod, waited);
      } catch (RuntimeException e) {
        LOG.errorf(e, "PodVolumeRestore %s/%s", config.veleroNamespace(), pvr.getMetadata().getName());
      } finally {
        inFlight.remove(key);
      }
    });
  }

  // ---- one volume (worker thread)

  private void restore(KubernetesClient kube, GenericKubernetesResource pvr, Pod pod, boolean alreadyReleased) {
    String name = pvr.getMetadata().getName();
    String volume = text(pvr, "spec", "volume");
    String restoreUid = pvr.getMetadata().getLabels() == null ? null : pvr.getMetadata().getLabels().get(RESTORE_UID);
    long snapshotSize = number(pvr, "spec", "snapshotSize");
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    if (!patch(kube, pvr, Map.of("phase", "InProgress", "startTimestamp", started.toString(),
        "node", config.nodeName().get(), "progress", Map.of("totalBytes", snapshotSize)), true)) {
      return; // another instance took it
    }
    Path dir;
    try {
      dir = VolumeDirectory.find(kube, Path.of(config.podsDir()), pod, volume);
    } catch (IOException | KubernetesClientException e) {
      fail(kube, name, "error getting volume directory name: " + e.getMessage());
      return;
    }
    Path done = dir.resolve(".velero").resolve(restoreUid == null ? "" : restoreUid);
    if (alreadyReleased || (restoreUid != null && Files.exists(done))) {
      // An instance that died wrote the done file: the data was complete, and the application may use it now.
      complete(kube, name, snapshotSize, size(dir));
      return;
    }
    if (restoreUid == null) {
      fail(kube, name, "PodVolumeRestore has no " + RESTORE_UID + " label: the done file cannot be named");
      return;
    }
    Optional<String> password;
    try {
      password = repositoryPassword(kube);
    } catch (KubernetesClientException e) {
      fail(kube, name, "error getting the repository password from secret " + config.veleroNamespace() + "/"
          + REPO_SECRET + ": " + e.getMessage());
      return;
    }
    StorageLocations.Restic repository;
    try {
      repository = repositories.of(text(pvr, "spec", "backupStorageLocation"), text(pvr, "spec", "sourceNamespace"));
    } catch (IOException e) {
      fail(kube, name, e.getMessage());
      return;
    }
    Map<String, String> uploaderSettings = map(pvr, "spec", "uploaderSettings");
    ResticRestore.Request request = new ResticRestore.Request(repository.repository(), repository.environment(),
        text(pvr, "spec", "snapshotID"), dir, Boolean.parseBoolean(uploaderSettings.getOrDefault("WriteSparseFiles",
            "false")), parallel(uploaderSettings.get("ParallelFilesDownload")));
    ScheduledFuture<?> progress = scheduler.scheduleWithFixedDelay(() -> patch(kube, name,
        Map.of("progress", Map.of("totalBytes", snapshotSize, "bytesDone", Math.min(size(dir), snapshotSize)))),
        PROGRESS_EVERY_SECONDS, PROGRESS_EVERY_SECONDS, TimeUnit.SECONDS);
    try {
      LOG.infof("PodVolumeRestore %s: restoring snapshot %s of volume %s into %s", name, request.snapshotId(), volume,
          dir);
      restic.run(request, password.orElse(DEFAULT_REPO_PASSWORD));
      Files.createDirectories(done.getParent());
      Files.setPosixFilePermissions(done.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
      Files.write(done, new byte[0]);
    } catch (ResticRestore.ResticException | IOException e) {
      progress.cancel(false);
      fail(kube, name, "error restoring volume " + volume + ": " + e.getMessage());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      progress.cancel(false);
      return; // stopping: the next instance takes the restore again
    }
    progress.cancel(false);
    complete(kube, name, snapshotSize, size(dir));
  }

  private void complete(KubernetesClient kube, String name, long snapshotSize, long bytes) {
    long total = Math.max(snapshotSize, bytes);
    patch(kube, name, Map.of("phase", "Completed", "completionTimestamp",
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), "progress", Map.of("totalBytes", total,
            "bytesDone", total)));
    LOG.infof("PodVolumeRestore %s completed", name);
  }

  private void fail(KubernetesClient kube, String name, String message) {
    LOG.warnf("PodVolumeRestore %s failed: %s", name, message);
    patch(kube, name, Map.of("phase", "Failed", "message", message, "completionTimestamp",
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
  }

  /** The password of the repositories: {@code velero-repo-credentials}, else Velero's default. */
  private Optional<String> repositoryPassword(KubernetesClient kube) {
    Secret secret = kube.secrets().inNamespace(config.veleroNamespace()).withName(REPO_SECRET).get();
    if (secret == null || secret.getData() == null || !secret.getData().containsKey(REPO_PASSWORD_KEY)) {
      return Optional.empty();
    }
    return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(REPO_PASSWORD_KEY)),
        StandardCharsets.UTF_8));
  }

  /** Status fields, merge-patched; with {@code claim}, only if nobody changed the object since it was read. */
  private boolean patch(KubernetesClient kube, GenericKubernetesResource pvr, Map<String, Object> status,
      boolean claim) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (claim) {
      body.put("metadata", Map.of("resourceVersion", pvr.getMetadata().getResourceVersion()));
    }
    body.put("status", status);
    try {
      kube.genericKubernetesResources(VeleroResources.PODVOLUMERESTORES).inNamespace(config.veleroNamespace())
          .withName(pvr.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE), json(body));
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        LOG.warnf("PodVolumeRestore %s: status not updated: %s", pvr.getMetadata().getName(), e.getMessage());
      }
      return false;
    }
  }

  private void patch(KubernetesClient kube, String name, Map<String, Object> status) {
    GenericKubernetesResource ref = new GenericKubernetesResource();
    ref.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
    patch(kube, ref, status, false);
  }

  private static String json(Object body) {
    try {
      return dev.rebound.model.Json.mapper().writeValueAsString(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Bytes of regular files under the volume (Velero's progress measure), the done file's directory
   * excluded. A symbolic link is not followed: its target is another file of the volume (counted
   * under its own name) or a path of the pod's file system, which this instance must not read.
   */
  static long size(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      Path marker = dir.resolve(".velero"); // only the volume's own done-file directory, not a user's .velero
      return files.filter(f -> !f.startsWith(marker))
          .filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  /**
   * {@code ParallelFilesDownload}, which Velero writes only when above 0; 0 leaves restic its own
   * default (Velero's kopia uploader reads 0 as the number of CPUs; restic's default of 5
   * connections is above that on small nodes).
   */
  static int parallel(String value) {
    try {
      return value == null ? 0 : Math.max(0, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @SuppressWarnings("unchecked")
  private static Object at(GenericKubernetesResource r, String... path) {
    Object node = r.getAdditionalProperties();
    for (String p : path) {
      if (!(node instanceof Map<?, ?> m)) {
        return null;
      }
      node = ((Map<String, Object>) m).get(p);
    }
    return node;
  }

  private static String text(GenericKubernetesResource r, String... path) {
    Object value = at(r, path);
    return value == null ? "" : value.toString();
  }

  private static long number(GenericKubernetesResource r, String... path) {
    return at(r, path) instanceof Number n ? n.longValue() : 0;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> map(GenericKubernetesResource r, String... path) {
    Map<String, String> out = new LinkedHashMap<>();
    if (at(r, path) instanceof Map<?, ?> m) {
      ((Map<String, Object>) m).forEach((k, v) -> out.put(k, String.valueOf(v)));
    }
    return out;
  }
}
