package dev.rebound.statusreporter.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The status-reporter's settings, under {@code rebound.status-reporter}. */
@ConfigMapping(prefix = "rebound.status-reporter")
public interface StatusReporterConfig {

  /** How many heartbeat intervals an instance may miss before it is reported gone. */
  @WithDefault("3")
  int heartbeatMisses();

  /** The namespace restores belong to, as Velero's server namespace (restores elsewhere are refused). */
  @WithDefault("velero")
  String veleroNamespace();

  /** The target cluster of a restore without the {@code rebound.dev/target-clusters} annotation. */
  @WithDefault("default")
  String defaultCluster();

  /**
   * How long a submission may wait for the broker's acknowledgement and then for this instance to
   * read the log up to it, to learn whether it won its name; after that the API answers 503.
   */
  @WithDefault("30s")
  java.time.Duration submissionTimeout();

  /**
   * How long {@code POST /api/v1/restores/{name}/cancel} waits for the restore to end (Canceled)
   * before it answers {@code 202} with the restore still running.
   */
  @WithDefault("30s")
  java.time.Duration cancelWait();
}
