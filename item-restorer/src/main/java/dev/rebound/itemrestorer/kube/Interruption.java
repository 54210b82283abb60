package dev.rebound.itemrestorer.kube;

/**
 * The thread restoring an item was interrupted (the service is shutting down): the item has no
 * outcome, so no result may be reported and its offset must stay uncommitted for redelivery.
 */
public final class Interruption extends RuntimeException {

  public Interruption(String message) {
    super(message);
  }
}
