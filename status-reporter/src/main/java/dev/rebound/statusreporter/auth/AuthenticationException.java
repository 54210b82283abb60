package dev.rebound.statusreporter.auth;

/**
 * Why a request's credentials were not accepted (401), or why they could not be checked at all
 * ({@link #unavailable}: 503, the token may be good).
 */
public final class AuthenticationException extends Exception {

  private final boolean unavailable;

  private AuthenticationException(String message, boolean unavailable, Throwable cause) {
    super(message, cause);
    this.unavailable = unavailable;
  }

  /** The credentials are missing or not valid: 401. */
  public static AuthenticationException rejected(String message) {
    return new AuthenticationException(message, false, null);
  }

  /** The credentials could not be checked (the management cluster or the issuer did not answer): 503. */
  public static AuthenticationException unavailable(String message, Throwable cause) {
    return new AuthenticationException(message, true, cause);
  }

  public boolean unavailable() {
    return unavailable;
  }
}
