package dev.rebound.coordinator.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rebound.model.Json;
import java.io.IOException;

/**
 * The uid of the Restore in an ended restore's summary ({@code restore.metadata.uid}), read without
 * building the summary: a start reads thousands of them and keeps only the name and the uid.
 */
final class SummaryUid {

  private SummaryUid() {}

  /** The uid, or null when the summary has none or cannot be read. */
  static String of(String summary) {
    try (JsonParser p = Json.mapper().getFactory().createParser(summary)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      return field(p, "restore") && field(p, "metadata") && field(p, "uid") ? p.getValueAsString() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Moves into the value of {@code name} in the current object, skipping the others; false when absent. */
  private static boolean field(JsonParser p, String name) throws IOException {
    for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals(name)) {
        return value == JsonToken.START_OBJECT || value.isScalarValue();
      }
      p.skipChildren();
    }
    return false;
  }
}
