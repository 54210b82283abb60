package dev.rebound.model.velero;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rebound.model.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reference 3.12: Velero's Result shape, its Add rules and its counts. */
class ResultTest {

  @Test
  void emptyNamespaceGoesToClusterAndOthersToTheirNamespace() {
    Result r = Result.empty().add("", "cluster-scoped").add("shop", "in shop").add("shop", "again").addVelero("velero");
    assertEquals(List.of("cluster-scoped"), r.cluster());
    assertEquals(Map.of("shop", List.of("in shop", "again")), r.namespaces());
    assertEquals(List.of("velero"), r.velero());
    assertEquals(4, r.count());
  }

  @Test
  void emptyPartsAreOmittedInJson() throws IOException {
    assertEquals("{}", Json.mapper().writeValueAsString(Result.empty()));
    assertEquals("{\"namespaces\":{\"ns\":[\"w\"]}}", Json.mapper().writeValueAsString(Result.empty().add("ns", "w")));
  }

  @Test
  void veleroJsonIsReadIncludingMissingParts() throws IOException {
    Result r = Json.mapper().readValue("{\"velero\":[\"e1\"],\"namespaces\":{\"a\":[\"x\",\"y\"]}}", Result.class);
    assertEquals(List.of(), r.cluster());
    assertEquals(3, r.count());
  }

  @Test
  void mergeKeepsEveryMessage() {
    Result a = Result.empty().add("ns", "a").addVelero("v1");
    Result b = Result.empty().add("ns", "b").add("", "c");
    Result m = a.merge(b);
    assertEquals(Map.of("ns", List.of("a", "b")), m.namespaces());
    assertEquals(4, m.count());
  }

  @org.junit.jupiter.api.Test
  void aBuilderTakesEveryMessageOfAResultInItsPlace() {
    Result r = Result.empty().addVelero("v").add("", "c").add("shop", "n1").add("shop", "n2");
    Result twice = new Result.Builder().addAll(r).addAll(r).build();
    org.junit.jupiter.api.Assertions.assertEquals(r.merge(r), twice);
    org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("v", "c", "n1", "n2"), r.messages());
  }
}
