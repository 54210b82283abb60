package dev.rebound.statusreporter.objects;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Velero's DownloadRequests answered by Rebound ({@link DownloadRequests}). */
@ConfigMapping(prefix = "rebound.download-requests")
public interface DownloadRequestsConfig {

  /**
   * Answer the {@code downloadrequests.velero.io} of the management cluster's Velero namespace for
   * Rebound's restores (the CRD must be installed there).
   */
  @WithDefault("false")
  boolean enabled();

  /** How long a download URL works and a DownloadRequest lives: Velero's {@code DownloadURLTTL}. */
  @WithDefault("10m")
  Duration urlTtl();
}
