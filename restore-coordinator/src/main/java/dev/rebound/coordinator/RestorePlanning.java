package dev.rebound.coordinator;

import dev.rebound.coordinator.archive.CorruptBackupException;
import dev.rebound.coordinator.config.CoordinatorConfig;
import dev.rebound.coordinator.kube.ConfigMaps;
import dev.rebound.coordinator.kube.Discovery;
import dev.rebound.coordinator.order.RestorePriorities;
import dev.rebound.coordinator.plan.GroupVersions;
import dev.rebound.coordinator.plan.RestorePlan;
import dev.rebound.coordinator.plan.RestorePlanner;
import dev.rebound.coordinator.plan.VolumeDecisions;
import dev.rebound.storage.BackupStore;
import dev.rebound.storage.StorageConfig;
import dev.rebound.storage.StorageLocations;
import dev.rebound.model.validation.ClusterNamespaceMappings;
import dev.rebound.model.validation.RestoreAnnotations;
import dev.rebound.model.validation.RestoreSpecValidator;
import dev.rebound.coordinator.validation.SourceResolver;
import dev.rebound.model.velero.InlineResourceModifiers;
import dev.rebound.model.velero.ResourceModifiers;
import dev.rebound.model.velero.Restore;
import dev.rebound.model.velero.RestorePhase;
import dev.rebound.model.velero.RestoreSpec;
import dev.rebound.model.velero.RestoreStatus;
import dev.rebound.model.velero.Result;
import dev.rebound.support.kube.TargetClusters;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * From a Restore request to a plan: validation (reference 2.5), source resolution, discovery of
 * the target cluster, then one streaming pass over the backup. Every failure ends in the
 * Restore's status, in Velero's shape: FailedValidation with {@code validationErrors}, or Failed
 * with a {@code failureReason}. Nothing here throws for bad input.
 */
@ApplicationScoped
public class RestorePlanning {

  /**
   * @param restore the Restore as Velero would persist it: spec completed (excluded resources,
   *     backup and schedule names), status phase New when planned, else the failure
   * @param plan present when the restore can start
   */
  /**
   * @param itemSpec the spec the items carry: the resolved one, with {@code restoreStatus}'s
   *     resource names resolved through the target's discovery
   */
  public record Outcome(Restore restore, Optional<RestorePlan> plan, ResourceModifiers resourceModifiers,
      RestoreSpec itemSpec) {
    Outcome(Restore restore, Optional<RestorePlan> plan) {
      this(restore, plan, null, restore.spec());
    }
  }

  private final StorageLocations locations;
  private final TargetClusters clusters;
  private final CoordinatorConfig config;
  private final String locationName;
  private final RestorePriorities priorities;

  RestorePlanning(StorageLocations locations, TargetClusters clusters, CoordinatorConfig config,
      StorageConfig storage) {
    this.locationName = storage.locationName();
    this.locations = locations;
    this.clusters = clusters;
    this.config = config;
    this.priorities = RestorePriorities.parse(config.restoreResourcePriorities().orElse(""));
  }

  /** Velero's feature flag for API group version selection (reference 3.9). */
  public static final String API_GROUP_VERSIONS = "EnableAPIGroupVersions";
  /** The ConfigMap of user version priorities, in the Velero namespace. */
  static final String VERSION_PRIORITY_CONFIG_MAP = "enableapigroupversions";

  /** Plans the restore's part in {@code cluster}, its only target cluster. */
  public Outcome plan(Restore restore, String cluster) {
    return plan(restore, cluster, List.of(cluster));
  }

  /**
   * Plans the restore's part in {@code cluster}, one of its {@code targets}: the spec's namespace
   * mapping with the cluster's own merged in ({@link ClusterNamespaceMappings}) decides where its
   * items go; the Restore as planned keeps the spec as submitted.
   */
  public Outcome plan(Restore restore, String cluster, java.util.Collection<String> targets) {
    RestoreSpecValidator.Outcome checked = RestoreSpecValidator.validate(restore.spec());
    RestoreSpec spec = checked.spec();
    List<String> errors = new ArrayList<>(checked.errors());
    errors.addAll(RestoreAnnotations.errors(restore, targets));
    if (checked.stop()) {
      return failedValidation(restore.withSpec(spec), errors);
    }
    SourceResolver.Resolution source = new SourceResolver(locations.catalog(), config.veleroNamespace(), locationName)
        .resolve(spec.backupName(), spec.scheduleName());
    errors.addAll(source.errors());
    if (source.backup().isPresent()) {
      // A named backup keeps its name (its directory); a schedule's backup is named by its metadata.
      String backupName = spec.backupName() == null || spec.backupName().isEmpty()
          ? source.backup().get().name() : spec.backupName();
      spec = spec.withSource(backupName, source.scheduleName());
    }
    if (!errors.isEmpty()) {
      return failedValidation(restore.withSpec(spec), errors);
    }
    ResourceModifiers modifiers;
    try {
      modifiers = resourceModifiers(restore, spec, cluster);
    } catch (IllegalArgumentException e) {
      return failedValidation(restore.withSpec(spec), List.of(e.getMessage()));
    }
    // The location the backup is read from (the default first), recorded on the Restore as planned.
    StorageLocations.Location location;
    try {
      location = locations.fromCluster() ? locations.withBackup(spec.backupName()).orElse(null)
          : locations.all().get(0); // one location: the resolver above found the backup there
    } catch (IOException e) {
      return failedValidation(restore.withSpec(spec), List.of("The BSL " + locationName + " is unavailable, cannot "
          + "retrieve the backup", e.getMessage()));
    }
    if (location == null) {
      return failedValidation(restore.withSpec(spec), List.of(SourceResolver.cannotFind(config.veleroNamespace(),
          spec.backupName(), "backups.velero.io \"" + spec.backupName() + "\" not found")));
    }
    BackupStore store = location.store();
    Restore resolved = restore.withSpec(spec);
    RestoreSpec clusterSpec = ClusterNamespaceMappings.forCluster(restore, spec, cluster);
    if (locations.fromCluster()) {
      resolved = resolved.withMetadata(resolved.metadata().annotated(StorageLocations.ANNOTATION, location.name()));
    }
    RestorePlanner planner;
    try {
      planner = new RestorePlanner(Discovery.load(clusters.client(cluster)), priorities, config.maxItemBytes());
    } catch (KubernetesClientException | IllegalArgumentException e) {
      return failed(resolved, "error discovering the resources of target cluster " + cluster + ": " + e.getMessage());
    }
    VolumeDecisions volumes;
    try {
      volumes = volumeDecisions(store, spec.backupName());
    } catch (IOException e) {
      return failed(resolved, e.getMessage());
    }
    Map<String, List<String>> versionPriorities = null;
    String formatVersion = source.backup().map(b -> b.status() == null ? null : b.status().formatVersion()).orElse(null);
    // Velero compares the backup's format version as a string (reference 3.9).
    if (config.features().orElse(List.of()).contains(API_GROUP_VERSIONS) && formatVersion != null
        && formatVersion.compareTo("1.1.0") >= 0) {
      String ns = restore.metadata() != null && restore.metadata().namespace() != null
          ? restore.metadata().namespace() : config.veleroNamespace();
      try {
        versionPriorities = GroupVersions.userPriorities(ConfigMaps.data(clusters.client(cluster), ns,
            VERSION_PRIORITY_CONFIG_MAP).map(d -> d.get("restoreResourcesVersionPriority")).orElse(null));
      } catch (KubernetesClientException e) {
        // Velero stops the restore with a Velero error: nothing is restored, it ends PartiallyFailed.
        Result versionError = Result.empty().addVelero("choosing API version to restore: retrieving "
            + "enableapigroupversion config map: getting enableapigroupversions config map from velero namespace: "
            + e.getMessage());
        return new Outcome(resolved.withStatus(RestoreStatus.phase(RestorePhase.NEW)), Optional.of(new RestorePlan(
            List.of(), new java.util.TreeSet<>(), Result.empty(), versionError, formatVersion, Map.of())), modifiers,
            clusterSpec.withRestoreStatus(null));
      }
    }
    try (InputStream tarball = store.openTarball(spec.backupName())) {
      return new Outcome(resolved.withStatus(RestoreStatus.phase(RestorePhase.NEW)),
          Optional.of(planner.plan(clusterSpec, tarball, volumes, versionPriorities)), modifiers,
          clusterSpec.withRestoreStatus(planner.resolve(spec.restoreStatus())));
    } catch (CorruptBackupException e) {
      return failed(resolved, "error reading backup " + spec.backupName() + ": " + e.getMessage());
    } catch (IOException e) {
      return failed(resolved, "error downloading backup: " + e.getMessage());
    }
  }

  /**
   * Reference 2.5 step 11: a ConfigMap named by {@code spec.resourceModifier} (kind "configmap" in
   * any case; any other kind is ignored, as Velero does) must exist in the Velero namespace of the
   * target cluster and hold a valid resource modifiers document.
   *
   * @return the document, null when the restore names none
   * @throws IllegalArgumentException with the validation error, in Velero's words
   */
  private ResourceModifiers resourceModifiers(Restore restore, RestoreSpec spec, String cluster) {
    var ref = spec.resourceModifier();
    if (ref == null || ref.kind() == null || !ref.kind().equalsIgnoreCase("configmap")) {
      return null;
    }
    String ns = restore.metadata() != null && restore.metadata().namespace() != null
        ? restore.metadata().namespace() : config.veleroNamespace();
    String where = ns + "/" + ref.name();
    if (InlineResourceModifiers.madeFor(restore) && dev.rebound.model.pipeline.DryRun.requested(restore)) {
      // A dry run changes nothing in the cluster: its inline modifiers are used as they are.
      return ResourceModifiers.fromConfigMap(ns, ref.name(),
          InlineResourceModifiers.data(InlineResourceModifiers.of(restore).orElseThrow()));
    }
    if (InlineResourceModifiers.madeFor(restore)) {
      // Rebound's inline modifiers: the ConfigMap is made here, then read back as Velero reads one.
      try {
        ConfigMaps.ensureInline(clusters.client(cluster), ns, ref.name(),
            InlineResourceModifiers.data(InlineResourceModifiers.of(restore).orElseThrow()), restore.name(),
            restore.metadata().uid());
      } catch (KubernetesClientException e) {
        throw new IllegalArgumentException("failed to create resource modifiers configmap " + where + ": "
            + e.getMessage(), e);
      }
    }
    Optional<java.util.Map<String, String>> data;
    try {
      data = ConfigMaps.data(clusters.client(cluster), ns, ref.name());
    } catch (KubernetesClientException | IllegalArgumentException e) {
      data = Optional.empty();
    }
    if (data.isEmpty()) {
      throw new IllegalArgumentException("failed to get resource modifiers configmap " + where);
    }
    return ResourceModifiers.fromConfigMap(ns, ref.name(), data.get());
  }

  /**
   * The backup's volume files (reference 1.2, 3.7); a file that exists but cannot be read fails the
   * restore, with Velero's reasons.
   */
  private static VolumeDecisions volumeDecisions(BackupStore store, String backup) throws IOException {
    Optional<com.fasterxml.jackson.databind.JsonNode> snapshots;
    Optional<com.fasterxml.jackson.databind.JsonNode> csiSnapshots;
    try {
      snapshots = store.volumeSnapshots(backup);
    } catch (IOException e) {
      throw new IOException("error fetching volume snapshots metadata: " + e.getMessage(), e);
    }
    try {
      csiSnapshots = store.csiVolumeSnapshots(backup);
    } catch (IOException e) {
      throw new IOException("fail to fetch CSI VolumeSnapshots metadata: " + e.getMessage(), e);
    }
    // Velero's failure reason for an unreadable volume info file is the read error itself.
    return VolumeDecisions.of(store.volumeInfo(backup), snapshots, store.podVolumeBackups(backup), csiSnapshots);
  }

  private static Outcome failedValidation(Restore restore, List<String> errors) {
    return new Outcome(restore.withStatus(RestoreStatus.failedValidation(errors)), Optional.empty());
  }

  private static Outcome failed(Restore restore, String reason) {
    RestoreStatus status = new RestoreStatus(RestorePhase.FAILED, null, 0, 0, reason, null, null, null, 0, 0, 0, null);
    return new Outcome(restore.withStatus(status), Optional.empty());
  }
}
