package dev.rebound.coordinator.archive;

/** A backup tarball that cannot be read: truncated, not gzip, not tar, or with an unsafe entry. */
public class CorruptBackupException extends Exception {

  public CorruptBackupException(String message) {
    super(message);
  }

  public CorruptBackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
