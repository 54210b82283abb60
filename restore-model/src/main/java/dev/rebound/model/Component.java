package dev.rebound.model;

import java.util.Arrays;

/** The four Rebound services; each instance announces itself under one of these names. */
public enum Component {
  RESTORE_COORDINATOR("restore-coordinator"),
  ITEM_RESTORER("item-restorer"),
  VOLUME_RESTORER("volume-restorer"),
  STATUS_REPORTER("status-reporter");

  private final String id;

  Component(String id) {
    this.id = id;
  }

  /** The name used in heartbeats, metrics tags and module directories. */
  public String id() {
    return id;
  }

  public static Component fromId(String id) {
    return Arrays.stream(values())
        .filter(c -> c.id.equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown component: " + id));
  }
}
