package dev.rebound.storage;

import java.io.IOException;

/** The backup storage location cannot be reached (Velero's BSL phase {@code Unavailable}). */
public class StorageUnavailableException extends IOException {

  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
