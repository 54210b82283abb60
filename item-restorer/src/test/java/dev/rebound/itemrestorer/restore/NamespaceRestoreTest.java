package dev.rebound.itemrestorer.restore;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Whether a namespace found after a create whose answer was lost is that create's work (reference 3.5). */
class NamespaceRestoreTest {

  private static final Instant SENT = Instant.parse("2026-12-06T10:00:00.700Z");

  private static ObjectNode ns(String json) throws Exception {
    return (ObjectNode) Json.mapper().readTree(json);
  }

  private static final String SENT_NS = "{\"metadata\":{\"name\":\"a\",\"labels\":{\"team\":\"a\"},"
      + "\"annotations\":{\"owner\":\"x\"}}}";

  @Test
  void madeAtTheCreateWithWhatWasSentIsOurs() throws Exception {
    assertTrue(NamespaceRestore.createdBy(ns("{\"metadata\":{\"name\":\"a\",\"creationTimestamp\":\"2026-12-06T10:00:00Z\","
        + "\"labels\":{\"team\":\"a\",\"kubernetes.io/metadata.name\":\"a\"},\"annotations\":{\"owner\":\"x\"}}}"),
        ns(SENT_NS), SENT));
    assertTrue(NamespaceRestore.createdBy(ns("{\"metadata\":{\"name\":\"a\",\"creationTimestamp\":\"2026-12-06T10:00:03Z\","
        + "\"labels\":{\"team\":\"a\"},\"annotations\":{\"owner\":\"x\"}}}"), ns(SENT_NS), SENT));
  }

  @Test
  void madeBeforeTheCreateIsNotOurs() throws Exception {
    assertFalse(NamespaceRestore.createdBy(ns("{\"metadata\":{\"name\":\"a\",\"creationTimestamp\":\"2026-12-06T09:59:58Z\","
        + "\"labels\":{\"team\":\"a\"},\"annotations\":{\"owner\":\"x\"}}}"), ns(SENT_NS), SENT));
  }

  @Test
  void otherLabelsOrAnnotationsAreNotOurs() throws Exception {
    assertFalse(NamespaceRestore.createdBy(ns("{\"metadata\":{\"name\":\"a\",\"creationTimestamp\":\"2026-12-06T10:00:01Z\","
        + "\"labels\":{\"team\":\"b\"},\"annotations\":{\"owner\":\"x\"}}}"), ns(SENT_NS), SENT));
    assertFalse(NamespaceRestore.createdBy(ns("{\"metadata\":{\"name\":\"a\",\"creationTimestamp\":\"2026-12-06T10:00:01Z\","
        + "\"labels\":{\"team\":\"a\"}}}"), ns(SENT_NS), SENT));
    assertFalse(NamespaceRestore.createdBy(ns("{\"metadata\":{\"name\":\"a\",\"labels\":{\"team\":\"a\"},"
        + "\"annotations\":{\"owner\":\"x\"}}}"), ns(SENT_NS), SENT), "no creationTimestamp");
  }
}
