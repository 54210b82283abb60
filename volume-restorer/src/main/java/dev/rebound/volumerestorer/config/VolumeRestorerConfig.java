package dev.rebound.volumerestorer.config;

import dev.rebound.support.kube.TargetClusterConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The volume-restorer's settings, under {@code rebound.volume-restorer}. */
@ConfigMapping(prefix = "rebound.volume-restorer")
public interface VolumeRestorerConfig {

  /** The cluster a restore targets when it names none ({@code rebound.dev/target-clusters} absent). */
  @WithDefault("default")
  String defaultCluster();

  /** The target clusters by name: {@code rebound.volume-restorer.clusters.<name>.kubeconfig}. */
  Map<String, TargetClusterConfig> clusters();

  /**
   * The Velero namespace of the target clusters: where the PodVolumeRestores are and the
   * {@code velero-repo-credentials} Secret holds the repository password.
   */
  @WithDefault("velero")
  String veleroNamespace();

  /**
   * The node this instance restores pod volumes on (Velero's node-agent runs one per node; a
   * DaemonSet sets it from {@code spec.nodeName}). Unset: this instance restores no pod volumes.
   */
  Optional<String> nodeName();

  /** The kubelet's pods directory as this instance sees it (Velero mounts it at {@code /host_pods}). */
  @WithDefault("/host_pods")
  String podsDir();

  /** How often the PodVolumeRestores of this node's pods are looked at. */
  @WithDefault("1s")
  Duration pollInterval();

  /** Volumes this instance restores at the same time (Velero's node-agent: one per node by default). */
  @WithDefault("2")
  int concurrentVolumes();

  /** The restic binary (Velero's restic uploader runs {@code restic restore}). */
  @WithDefault("restic")
  String resticCommand();

  /** restic's cache directory (Velero: {@code $VELERO_SCRATCH_DIR/.cache/restic}). */
  @WithDefault("/tmp/rebound-restic-cache")
  String resticCacheDir();
}
