package dev.rebound.statusreporter.objects;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Velero's Restore objects driven by Rebound ({@link RestoreObjects}). */
@ConfigMapping(prefix = "rebound.restore-objects")
public interface RestoreObjectsConfig {

  /**
   * Run the {@code restores.velero.io} created in the management cluster's Velero namespace (by
   * kubectl, the Velero CLI, GitOps, consoles) and write their status back; the CRD must be
   * installed there, and no Velero server may run its restore controller (it is checked).
   */
  @WithDefault("false")
  boolean enabled();

  /** The least time between two status updates of one Restore object: Velero updates progress every second. */
  @WithDefault("1s")
  Duration statusInterval();
}
