package dev.rebound.support.payload;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a record value with ChaCha20-Poly1305 so that no backed-up object (Secrets included) is
 * readable on Kafka. A sealed value is {@code "RBP2"} (format and version), a fresh random 96-bit
 * nonce, then the ciphertext with its 128-bit tag. The topic's name is the associated data: a
 * record copied to another topic does not open. Values of version 1 ({@code "RBP1"}, the same layout
 * with AES-256-GCM under the same key) still open, so records written before keep their meaning;
 * only version 2 is written: the services run C1-compiled code, where the JDK's AES-GCM has no
 * intrinsics and costs about four times as much as ChaCha20-Poly1305 (DESIGN, "Secrets on the
 * bus"). Thread-safe: a {@link Cipher} is made per call.
 */
public final class PayloadCipher {

  /** The format prefix of a sealed value: "Rebound payload", version 2 (ChaCha20-Poly1305). */
  static final byte[] MAGIC = {'R', 'B', 'P', '2'};
  /** Version 1: AES-256-GCM; opened, never written. */
  static final byte[] MAGIC_V1 = {'R', 'B', 'P', '1'};
  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  /** The length of a key in bytes (256 bits). */
  public static final int KEY_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final SecretKeySpec keyV1;

  private PayloadCipher(byte[] key) {
    this.key = new SecretKeySpec(key, "ChaCha20");
    this.keyV1 = new SecretKeySpec(key, "AES");
  }

  /**
   * The cipher of a base64 key of {@value #KEY_BYTES} bytes; {@link IllegalArgumentException} with
   * a message saying what is wrong (never the value) otherwise.
   */
  public static PayloadCipher fromBase64(String base64Key) {
    return new PayloadCipher(decodeKey(base64Key));
  }

  /** The key's bytes, or {@link IllegalArgumentException} naming what is wrong, without the value. */
  public static byte[] decodeKey(String base64Key) {
    if (base64Key == null || base64Key.isBlank()) {
      throw new IllegalArgumentException("is not set");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64Key.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not valid base64 (" + e.getMessage() + ")");
    }
    if (bytes.length != KEY_BYTES) {
      throw new IllegalArgumentException("is base64 of " + bytes.length + " bytes, but the key is " + KEY_BYTES
          + " bytes (for example: head -c " + KEY_BYTES + " /dev/urandom | base64)");
    }
    return bytes;
  }

  /** A fresh random key, base64-encoded: for stacks and tests that make their own. */
  public static String randomKey() {
    byte[] bytes = new byte[KEY_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Seals {@code plain} for {@code topic}. */
  public byte[] seal(String topic, byte[] plain) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
      cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
      cipher.updateAAD(topic.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plain);
      return ByteBuffer.allocate(MAGIC.length + NONCE_BYTES + sealed.length).put(MAGIC).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 is not available in this JVM: " + e, e);
    }
  }

  /**
   * Opens a value sealed for {@code topic}; {@link UnreadablePayloadException} says why it cannot
   * be opened (not sealed by Rebound, truncated, or another key or topic).
   */
  public byte[] open(String topic, byte[] sealed) {
    if (sealed == null || sealed.length == 0) {
      throw new UnreadablePayloadException("the record has no value");
    }
    boolean v1 = startsWith(sealed, MAGIC_V1);
    if (!v1 && !startsWith(sealed, MAGIC)) {
      throw new UnreadablePayloadException("the value is not sealed by Rebound (no \"RBP2\" or \"RBP1\" prefix; "
          + sealed.length + " bytes)");
    }
    int minimum = MAGIC.length + NONCE_BYTES + TAG_BITS / 8;
    if (sealed.length < minimum) {
      throw new UnreadablePayloadException("the sealed value is truncated (" + sealed.length + " bytes, at least "
          + minimum + " expected)");
    }
    String algorithm = v1 ? "AES-GCM" : "ChaCha20-Poly1305";
    try {
      Cipher cipher;
      if (v1) {
        cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, keyV1, new GCMParameterSpec(TAG_BITS, sealed, MAGIC.length, NONCE_BYTES));
      } else {
        cipher = Cipher.getInstance("ChaCha20-Poly1305");
        cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(sealed, MAGIC.length, NONCE_BYTES));
      }
      cipher.updateAAD(topic.getBytes(StandardCharsets.UTF_8));
      int offset = MAGIC.length + NONCE_BYTES;
      return cipher.doFinal(sealed, offset, sealed.length - offset);
    } catch (AEADBadTagException e) {
      throw new UnreadablePayloadException("the sealed value does not authenticate with this service's "
          + "rebound.service.payload-key for topic " + topic + " (another key, another topic, or altered bytes)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is not available in this JVM: " + e, e);
    }
  }

  private static boolean startsWith(byte[] value, byte[] prefix) {
    return value.length >= prefix.length && ByteBuffer.wrap(value, 0, prefix.length).equals(ByteBuffer.wrap(prefix));
  }
}
