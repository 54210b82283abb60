package dev.rebound.model.velero;

import dev.rebound.model.Hashes;

/** Velero's label keys and its rule for making any name a valid label value. */
public final class Labels {

  public static final String BACKUP_NAME = "velero.io/backup-name";
  public static final String RESTORE_NAME = "velero.io/restore-name";

  /** Kubernetes' DNS-1035 label limit, which Velero applies to label values. */
  static final int MAX_LENGTH = 63;

  private Labels() {}

  /**
   * Velero's {@code label.GetValidName} (reference 3.6 step 12): a value over 63 characters becomes
   * its first 57 characters and the first 6 hex digits of the SHA-256 of the whole value, so long
   * backup and restore names still fit, and stay distinct.
   */
  public static String validValue(String value) {
    if (value.length() <= MAX_LENGTH) {
      return value;
    }
    return value.substring(0, MAX_LENGTH - 6) + Hashes.sha256Hex(value).substring(0, 6);
  }
}
