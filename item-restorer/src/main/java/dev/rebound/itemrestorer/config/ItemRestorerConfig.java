package dev.rebound.itemrestorer.config;

import dev.rebound.support.kube.TargetClusterConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** The item-restorer's settings, under {@code rebound.item-restorer}. */
@ConfigMapping(prefix = "rebound.item-restorer")
public interface ItemRestorerConfig {

  /** The cluster a restore targets when it names none ({@code rebound.dev/target-clusters} absent). */
  @WithDefault("default")
  String defaultCluster();

  /** The target clusters by name: {@code rebound.item-restorer.clusters.<name>.kubeconfig}. */
  Map<String, TargetClusterConfig> clusters();

  /**
   * The Velero namespace of the target clusters: where the restore item actions find their
   * plugin ConfigMaps (reference 4).
   */
  @WithDefault("velero")
  String veleroNamespace();

  /**
   * The image of the {@code restore-wait} init container added to pods whose volumes are restored
   * from file-system backups (reference 6.2), when the {@code velero.io/pod-volume-restore} plugin
   * ConfigMap names none (Velero uses its server image): Rebound's restore-helper image of this build.
   */
  @WithDefault("rebound/restore-helper:${quarkus.application.version}")
  String restoreHelperImage();

  /**
   * Items this instance restores at the same time into one cluster (its share of the API server):
   * the threads of the cluster's lane.
   */
  @WithDefault("32")
  int maxConcurrencyPerCluster();

  /** What the lanes hold: items taken from the topic and not finished. */
  Buffer buffer();

  /**
   * How long one API request may take before it counts as unanswered (and is retried); a request
   * under way when an item's outage deadline passes may take this much longer.
   */
  @WithDefault("30s")
  Duration requestTimeout();

  Retry retry();

  /** Velero's {@code --resource-timeout}: how long a created CRD may take to be Established (reference 3.14). */
  @WithDefault("10m")
  Duration resourceTimeout();

  /** Velero's {@code --terminating-resource-timeout}: how long to wait for a terminating namespace to go. */
  @WithDefault("10m")
  Duration terminatingResourceTimeout();

  /** How often those waits poll (Velero: 1s). */
  @WithDefault("1s")
  Duration pollInterval();

  /**
   * Items taken from the topic and not finished (queued in their cluster's lane, being restored, or
   * their result not yet acknowledged by the broker); past either bound no more are taken until some
   * finish. The items queued for a cluster that is down wait in its lane while the other clusters'
   * lanes go on, up to these bounds.
   */
  interface Buffer {
    @WithDefault("10000")
    int maxItems();

    /** The size of their records' values (sealed tasks). */
    @WithDefault("64M")
    MemorySize maxBytes();
  }

  /**
   * Pauses between attempts after transient API failures (no answer, 429, 500, 502, 503, 504); how
   * long attempts go on is each restore's outage timeout, carried on its items.
   */
  interface Retry {
    @WithDefault("200ms")
    Duration initialBackoff();

    /** Upper bound of one pause, also for a longer Retry-After: how soon a cluster that is back is seen again. */
    @WithDefault("10s")
    Duration maxBackoff();
  }
}
