package dev.rebound.itemrestorer.snapshots;

import dev.rebound.itemrestorer.snapshots.aws.EbsVolumeSnapshotter;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The VolumeSnapshotters this process can run, by plugin name. Velero's plugin manager looks a
 * VolumeSnapshotLocation's {@code spec.provider} up after qualifying a bare name with
 * {@code velero.io/} ({@code aws} is {@code velero.io/aws}); so does {@link #get}.
 */
public final class VolumeSnapshotters {

  private final Map<String, Supplier<VolumeSnapshotter>> providers;

  /** @param providers a fresh snapshotter per call, by qualified plugin name */
  public VolumeSnapshotters(Map<String, Supplier<VolumeSnapshotter>> providers) {
    this.providers = new TreeMap<>(providers);
  }

  /**
   * The snapshotters built into Rebound: AWS EBS ({@code velero.io/aws}). A location of any other
   * provider fails its PVs with Velero's "unable to get valid VolumeSnapshotter" error.
   */
  public static VolumeSnapshotters builtIn() {
    return new VolumeSnapshotters(Map.of(EbsVolumeSnapshotter.NAME, EbsVolumeSnapshotter::new));
  }

  /** Velero's {@code sanitizeName}: a name without a slash is one of Velero's own plugins. */
  public static String qualified(String provider) {
    return provider.contains("/") ? provider : "velero.io/" + provider;
  }

  /** A new, uninitialised snapshotter for the provider, empty when none is known by that name. */
  public Optional<VolumeSnapshotter> get(String provider) {
    Supplier<VolumeSnapshotter> supplier = providers.get(qualified(provider));
    return supplier == null ? Optional.empty() : Optional.of(supplier.get());
  }

  /** The qualified names of the known providers, sorted. */
  public java.util.Set<String> names() {
    return java.util.Collections.unmodifiableSet(providers.keySet());
  }
}
