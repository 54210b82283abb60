package dev.rebound.support.payload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PayloadCipherTest {

  private static final String TOPIC = "rebound.restore-items";
  private static final byte[] PLAIN = "{\"kind\":\"Secret\",\"data\":{\"password\":\"hunter2-distinctive\"}}"
      .getBytes(StandardCharsets.UTF_8);
  private static final String KEY = PayloadCipher.randomKey();
  private static final String BAD_TAG = "the sealed value does not authenticate with this service's "
      + "rebound.service.payload-key for topic " + TOPIC + " (another key, another topic, or altered bytes)";

  private final PayloadCipher cipher = PayloadCipher.fromBase64(KEY);

  @Test
  void aSealedValueOpensToTheSameBytesAndHidesThem() {
    byte[] sealed = cipher.seal(TOPIC, PLAIN);
    assertArrayEquals(PLAIN, cipher.open(TOPIC, sealed));
    assertArrayEquals(new byte[] {'R', 'B', 'P', '2'}, Arrays.copyOf(sealed, 4));
    assertEquals(4 + 12 + PLAIN.length + 16, sealed.length);
    assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("hunter2"), "no plaintext in the record");
  }

  /** Version 1 (AES-256-GCM, written before version 2): such records still open, and authenticate as strictly. */
  @Test
  void aVersionOneValueStillOpens() throws Exception {
    byte[] nonce = new byte[12];
    new java.security.SecureRandom().nextBytes(nonce);
    javax.crypto.Cipher aes = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
    aes.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(Base64.getDecoder().decode(KEY),
        "AES"), new javax.crypto.spec.GCMParameterSpec(128, nonce));
    aes.updateAAD(TOPIC.getBytes(StandardCharsets.UTF_8));
    byte[] body = aes.doFinal(PLAIN);
    byte[] v1 = java.nio.ByteBuffer.allocate(4 + 12 + body.length).put(new byte[] {'R', 'B', 'P', '1'}).put(nonce)
        .put(body).array();
    assertArrayEquals(PLAIN, cipher.open(TOPIC, v1));
    assertEquals(BAD_TAG.replace(TOPIC, "rebound.other"), assertThrows(UnreadablePayloadException.class,
        () -> cipher.open("rebound.other", v1)).getMessage());
    byte[] relabelled = v1.clone();
    relabelled[3] = '2'; // the same bytes claimed as version 2 do not open
    assertEquals(BAD_TAG, assertThrows(UnreadablePayloadException.class, () -> cipher.open(TOPIC, relabelled))
        .getMessage());
  }

  @Test
  void eachRecordGetsAFreshNonce() {
    byte[] a = cipher.seal(TOPIC, PLAIN);
    byte[] b = cipher.seal(TOPIC, PLAIN);
    assertNotEquals(Arrays.toString(Arrays.copyOfRange(a, 4, 16)), Arrays.toString(Arrays.copyOfRange(b, 4, 16)));
    assertNotEquals(Arrays.toString(a), Arrays.toString(b));
  }

  @Test
  void aTamperedByteIsRejected() {
    byte[] sealed = cipher.seal(TOPIC, PLAIN);
    sealed[20] ^= 1;
    assertEquals(BAD_TAG, assertThrows(UnreadablePayloadException.class, () -> cipher.open(TOPIC, sealed)).getMessage());
  }

  @Test
  void anotherKeyCannotOpenIt() {
    byte[] sealed = cipher.seal(TOPIC, PLAIN);
    PayloadCipher other = PayloadCipher.fromBase64(PayloadCipher.randomKey());
    assertEquals(BAD_TAG, assertThrows(UnreadablePayloadException.class, () -> other.open(TOPIC, sealed)).getMessage());
  }

  @Test
  void aRecordCopiedToAnotherTopicDoesNotOpen() {
    byte[] sealed = cipher.seal("rebound.other", PLAIN);
    assertEquals(BAD_TAG, assertThrows(UnreadablePayloadException.class, () -> cipher.open(TOPIC, sealed)).getMessage());
  }

  @Test
  void aTruncatedRecordIsNamedSo() {
    byte[] sealed = Arrays.copyOf(cipher.seal(TOPIC, PLAIN), 20);
    assertEquals("the sealed value is truncated (20 bytes, at least 32 expected)",
        assertThrows(UnreadablePayloadException.class, () -> cipher.open(TOPIC, sealed)).getMessage());
    byte[] cut = Arrays.copyOf(cipher.seal(TOPIC, PLAIN), 40);
    assertEquals(BAD_TAG, assertThrows(UnreadablePayloadException.class, () -> cipher.open(TOPIC, cut)).getMessage());
  }

  @Test
  void plainJsonAndEmptyValuesAreNotSealedValues() {
    assertEquals("the value is not sealed by Rebound (no \"RBP2\" or \"RBP1\" prefix; " + PLAIN.length + " bytes)",
        assertThrows(UnreadablePayloadException.class, () -> cipher.open(TOPIC, PLAIN)).getMessage());
    assertEquals("the record has no value",
        assertThrows(UnreadablePayloadException.class, () -> cipher.open(TOPIC, null)).getMessage());
    assertEquals("the value is not sealed by Rebound (no \"RBP2\" or \"RBP1\" prefix; 2 bytes)",
        assertThrows(UnreadablePayloadException.class, () -> cipher.open(TOPIC, new byte[] {'R', 'B'})).getMessage());
  }

  @Test
  void keysThatAreNotBase64Of32BytesAreRefusedWithoutTheirValue() {
    assertEquals("is not set", assertThrows(IllegalArgumentException.class, () -> PayloadCipher.fromBase64(" "))
        .getMessage());
    assertEquals("is not set", assertThrows(IllegalArgumentException.class, () -> PayloadCipher.fromBase64(null))
        .getMessage());
    String sixteen = Base64.getEncoder().encodeToString(new byte[16]);
    assertEquals("is base64 of 16 bytes, but the key is 32 bytes (for example: head -c 32 /dev/urandom | base64)",
        assertThrows(IllegalArgumentException.class, () -> PayloadCipher.fromBase64(sixteen)).getMessage());
    IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class,
        () -> PayloadCipher.fromBase64("REPLACE_ME_BASE64_OF_32_RANDOM_BYTES"));
    assertEquals("is not valid base64 (Illegal base64 character 5f)", notBase64.getMessage());
  }
}
