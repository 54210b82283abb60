package dev.rebound.itemrestorer.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rebound.model.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 7386: the patch from one object to another, and applying it gives the second. */
class MergePatchTest {

  static ObjectNode json(String s) throws Exception {
    return (ObjectNode) Json.mapper().readTree(s.replace('\'', '"'));
  }

  @ParameterizedTest(name = "{0} -> {1} is {2}")
  @CsvSource(delimiter = '|', value = {
      "{'a':1}|{'a':1}|{}",
      "{'a':1}|{'a':2}|{'a':2}",
      "{'a':1,'b':2}|{'a':1}|{'b':null}",
      "{'a':{'x':1,'y':2}}|{'a':{'x':1,'y':3}}|{'a':{'y':3}}",
      "{'a':[1,2]}|{'a':[1]}|{'a':[1]}",
      "{'a':{'x':1}}|{'a':'flat'}|{'a':'flat'}",
      "{}|{'a':{'b':{'c':true}}}|{'a':{'b':{'c':true}}}"})
  void patchIsMinimalAndRoundTrips(String from, String to, String patch) throws Exception {
    ObjectNode p = MergePatch.create(json(from), json(to));
    assertEquals(json(patch), p);
    ObjectNode applied = json(from);
    MergePatch.apply(applied, p);
    assertEquals((JsonNode) json(to), applied);
  }
}
