package dev.rebound.coordinator.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SummaryUidTest {

  @Test
  void theRestoresUidIsFoundPastOtherFields() {
    assertEquals("u-1", SummaryUid.of("{\"restore\":{\"apiVersion\":\"velero.io/v1\",\"kind\":\"Restore\",\"metadata\":"
        + "{\"name\":\"r\",\"namespace\":\"velero\",\"labels\":{\"uid\":\"not-this\"},\"uid\":\"u-1\"},\"spec\":{}},"
        + "\"partition\":3}"));
    assertEquals("u-2", SummaryUid.of("{\"submittedAt\":\"2026-12-06T10:00:00Z\",\"restore\":{\"metadata\":{\"uid\":\"u-2\"}}}"));
  }

  @Test
  void aSummaryWithoutUidOrUnreadableGivesNull() {
    assertNull(SummaryUid.of("{\"restore\":{\"metadata\":{\"name\":\"r\"}}}"));
    assertNull(SummaryUid.of("{\"restore\":"));
    assertNull(SummaryUid.of("[]"));
  }
}
