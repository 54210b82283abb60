package dev.rebound.itemrestorer.actions;

/** An action failed: the item is not restored and the message becomes its error. */
public class ActionException extends Exception {

  public ActionException(String message) {
    super(message);
  }

  public ActionException(String message, Throwable cause) {
    super(message, cause);
  }
}
