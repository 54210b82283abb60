package dev.rebound.coordinator.config;

import dev.rebound.support.kube.TargetClusterConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/** The coordinator's settings, under {@code rebound.coordinator}. */
@ConfigMapping(prefix = "rebound.coordinator")
public interface CoordinatorConfig {

  /** The namespace Velero's objects live in; it appears in Velero's messages ("can't find backup velero/b"). */
  @WithDefault("velero")
  String veleroNamespace();

  /**
   * Velero's {@code --restore-resource-priorities} in its flag format (comma list, a single
   * {@code -} between high and low priorities); unset means Velero 1.18's defaults.
   */
  Optional<String> restoreResourcePriorities();

  /** The largest backed-up item read into memory; a larger one is an error for that item. */
  @WithDefault("3145728")
  long maxItemBytes();

  /** The cluster a restore targets when it names none. */
  @WithDefault("default")
  String defaultCluster();

  /** Target clusters by name, whose discovery resolves resource names: {@code clusters.<name>.kubeconfig}. */
  Map<String, TargetClusterConfig> clusters();

  /**
   * Velero's server {@code --features} that change restores: {@code EnableAPIGroupVersions}
   * (reference 3.9). Others are accepted and ignored.
   */
  Optional<java.util.List<String>> features();

  /**
   * How long a restored pod's volume data may take to restore, from when its PodVolumeRestores were
   * made (Velero's {@code --fs-backup-timeout}, reference 6.2): then "timed out waiting for all
   * PodVolumeRestores to complete".
   */
  @WithDefault("240m")
  java.time.Duration podVolumeOperationTimeout();

  /**
   * A restore's {@code itemOperationTimeout} when its spec sets none (Velero's {@code
   * --default-item-operation-timeout}, reference 2): a volume restore still running after it fails
   * with "Asynchronous action timed out".
   */
  @WithDefault("4h")
  java.time.Duration defaultItemOperationTimeout();

  /**
   * Velero's {@code --resource-timeout}, as its restore finalizer uses it: how long a re-provisioned
   * claim may take to be bound before its new volume's reclaim policy and labels are given up
   * ("fail to patch dynamic PV, err: context deadline exceeded, ...").
   */
  @WithDefault("10m")
  java.time.Duration resourceTimeout();

  /**
   * How long a wave may go without a new result before the restore ends {@code Failed}, naming the
   * items that have none (an item-restorer that cannot take them, a task lost): a restore never
   * hangs. Longer than any one item may take (the outage, CRD and terminating-namespace waits).
   */
  @WithDefault("30m")
  java.time.Duration waveProgressTimeout();

  /**
   * How long a restore's items wait out a target cluster that does not answer, answers 429 or a
   * server error (from an item's first such failure, or from the start of the cluster's outage when
   * the item met it already going on) before they fail with the last error, when the Restore has no
   * {@code rebound.dev/outage-timeout} annotation. Carried to the item-restorers on every item.
   */
  @WithDefault("10m")
  java.time.Duration defaultOutageTimeout();

  /** Restore runs (restore x cluster) planned or published at the same time; the others wait their turn. */
  @WithDefault("4")
  int parallelRestores();
}
