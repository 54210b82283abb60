package dev.rebound.support.payload;

/** A record value that cannot be turned back into what was published; the message says why. */
public class UnreadablePayloadException extends RuntimeException {

  public UnreadablePayloadException(String message) {
    super(message);
  }

  public UnreadablePayloadException(String message, Throwable cause) {
    super(message, cause);
  }
}
