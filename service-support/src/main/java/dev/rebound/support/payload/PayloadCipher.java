package dev.rebound.support.payload;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a record value with AES-256-GCM so that no backed-up object (Secrets included) is readable
 * on Kafka. A sealed value is {@code "RBP1"} (format and version), a fresh random 96-bit nonce, then
 * the ciphertext with its 128-bit tag. The topic's name is the associated data: a record copied to
 * another topic does not open. Thread-safe: a {@link Cipher} is made per call.
 */
public final class PayloadCipher {

  /** The format prefix of a sealed value: "Rebound payload", version 1. */
  static final byte[] MAGIC = {'R', 'B', 'P', '1'};
  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  /** The length of a key in bytes (AES-256). */
  public static final int KEY_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private PayloadCipher(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
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
      throw new IllegalArgumentException("is base64 of " + bytes.length + " bytes, but an AES-256 key is "
          + KEY_BYTES + " bytes (for example: head -c " + KEY_BYTES + " /dev/urandom | base64)");
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
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(topic.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plain);
      return ByteBuffer.allocate(MAGIC.length + NONCE_BYTES + sealed.length).put(MAGIC).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM: " + e, e);
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
    if (sealed.length < MAGIC.length || !ByteBuffer.wrap(sealed, 0, MAGIC.length).equals(ByteBuffer.wrap(MAGIC))) {
      throw new UnreadablePayloadException("the value is not sealed by Rebound (no \"RBP1\" prefix; "
          + sealed.length + " bytes)");
    }
    int minimum = MAGIC.length + NONCE_BYTES + TAG_BITS / 8;
    if (sealed.length < minimum) {
      throw new UnreadablePayloadException("the sealed value is truncated (" + sealed.length + " bytes, at least "
          + minimum + " expected)");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, MAGIC.length, NONCE_BYTES));
      cipher.updateAAD(topic.getBytes(StandardCharsets.UTF_8));
      int offset = MAGIC.length + NONCE_BYTES;
      return cipher.doFinal(sealed, offset, sealed.length - offset);
    } catch (AEADBadTagException e) {
      throw new UnreadablePayloadException("the sealed value does not authenticate with this service's "
          + "rebound.service.payload-key for topic " + topic + " (another key, another topic, or altered bytes)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM: " + e, e);
    }
  }
}
