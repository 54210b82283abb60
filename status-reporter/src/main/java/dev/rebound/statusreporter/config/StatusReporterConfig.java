package dev.rebound.statusreporter.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The status-reporter's settings, under {@code rebound.status-reporter}. */
@ConfigMapping(prefix = "rebound.status-reporter")
public interface StatusReporterConfig {

  /** How many heartbeat intervals an instance may miss before it is reported gone. */
  @WithDefault("3")
  int heartbeatMisses();
}
