package dev.rebound.support.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import dev.rebound.model.pipeline.ItemKey;
import dev.rebound.model.pipeline.ItemTask;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ItemTaskSerializerTest {

  private static final String TOPIC = "rebound.restore-items";
  private static final String KEY = PayloadCipher.randomKey();

  @Test
  void aTaskIsSealedAndItsItemNamedInHeaders() throws Exception {
    ItemTask task = secretTask();
    RecordHeaders headers = new RecordHeaders();
    byte[] value = new ItemTaskSerializer(KEY).serialize(TOPIC, headers, task);

    assertFalse(new String(value, StandardCharsets.ISO_8859_1).contains("s3cr3t"), "no Secret data in the value");
    assertEquals(task, new ItemTaskCodec(PayloadCipher.fromBase64(KEY)).decode(TOPIC, value));
    assertEquals(Optional.of(new ItemTaskHeaders.Identity("nightly-1", "default", 3,
        new ItemKey("v1/Secret", "shop", "db"), "secrets")), ItemTaskHeaders.read(headers));
    assertEquals("secrets/shop/db", ItemTaskHeaders.read(headers).orElseThrow().resourceId());
  }

  @Test
  void withoutAKeyNothingIsWrittenAndThePropertyIsNamed() throws Exception {
    ItemTaskSerializer serializer = new ItemTaskSerializer();
    serializer.configure(Map.of(), false);
    SerializationException e = assertThrows(SerializationException.class,
        () -> serializer.serialize(TOPIC, new RecordHeaders(), secretTask()));
    assertEquals("cannot seal the task of secrets/shop/db: rebound.service.payload-key is not set", e.getMessage());
  }

  @Test
  void aSealedValueThatIsNotATaskIsNamedSo() {
    byte[] sealed = PayloadCipher.fromBase64(KEY).seal(TOPIC, "{\"restore\":\"r\"}".getBytes(StandardCharsets.UTF_8));
    UnreadablePayloadException e = assertThrows(UnreadablePayloadException.class,
        () -> new ItemTaskCodec(PayloadCipher.fromBase64(KEY)).decode(TOPIC, sealed));
    assertTrue(e.getMessage().startsWith("the opened value is not an item task ("), e.getMessage());
  }

  @Test
  void headersWithoutAnItemOrWithABadWaveNameNoItem() {
    RecordHeaders headers = new RecordHeaders();
    assertEquals(Optional.empty(), ItemTaskHeaders.read(headers));
    ItemTaskHeaders.write(headers, secretTask());
    headers.remove(ItemTaskHeaders.WAVE);
    headers.add(ItemTaskHeaders.WAVE, "three".getBytes(StandardCharsets.UTF_8));
    assertEquals(Optional.empty(), ItemTaskHeaders.read(headers));
  }

  static ItemTask secretTask() {
    try {
      ObjectNode secret = (ObjectNode) Json.mapper().readTree("{\"apiVersion\":\"v1\",\"kind\":\"Secret\","
          + "\"metadata\":{\"name\":\"db\",\"namespace\":\"shop\"},\"stringData\":{\"password\":\"s3cr3t\"}}");
      return new ItemTask("nightly-1", "nightly", "default", 3, new ItemKey("v1/Secret", "shop", "db"), "secrets",
          "shop", null, secret);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
