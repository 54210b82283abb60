package dev.rebound.servers;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Credentials and tokens made fresh for each run of the local servers, never stored in the repository. */
final class Secrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** {@code bytes} random bytes as lower-case hex. */
  static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
