package dev.rebound.servers;

import java.security.SecureRandom;
import java.util.Base64;
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

  /** {@code bytes} random bytes in base64 (a key for {@code rebound.service.payload-key} with 32). */
  static String randomBase64(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }
}
