package dev.rebound.itemrestorer.snapshots;

/** A VolumeSnapshotter's failure, with the provider's own message. */
public class SnapshotterException extends Exception {

  public SnapshotterException(String message) {
    super(message);
  }

  public SnapshotterException(String message, Throwable cause) {
    super(message, cause);
  }
}
