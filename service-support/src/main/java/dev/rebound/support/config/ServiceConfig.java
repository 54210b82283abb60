package dev.rebound.support.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings every service has, under {@code rebound.service}. */
@ConfigMapping(prefix = "rebound.service")
public interface ServiceConfig {

  /** This service's name, one of {@link dev.rebound.model.Component}'s ids. */
  String component();

  /** How often this instance publishes a heartbeat on {@code rebound.heartbeats}. */
  @WithDefault("5s")
  Duration heartbeatInterval();

  /**
   * How often the settings a service needs (broker, S3, target clusters) are checked again while
   * one is wrong (the service takes no work until they pass), and afterwards for readiness.
   */
  @WithDefault("10s")
  Duration settingsCheckInterval();

  /**
   * Base64 of the 32-byte key that seals item tasks on {@code rebound.restore-items} (the
   * backed-up objects, Secrets included), the same in the coordinator and every item-restorer.
   * Required by those two; a secret: give it through the environment or a mode-600 file.
   */
  Optional<String> payloadKey();

  /** How Rebound's topics are created when a service finds them missing. */
  Topics topics();

  interface Topics {
    /** Partitions of each topic: the most item-restorers that can share one restore's items. */
    @WithDefault("12")
    int partitions();

    /** Replicas of each partition; {@code -1} takes the broker's {@code default.replication.factor}. */
    @WithDefault("-1")
    short replicationFactor();

    /**
     * How long {@code rebound.restore-events} keeps an event (the topic's {@code retention.ms} when a
     * service creates it). A restore running longer than this loses its first events.
     */
    @WithDefault("7d")
    java.time.Duration restoreEventsRetention();
  }
}
