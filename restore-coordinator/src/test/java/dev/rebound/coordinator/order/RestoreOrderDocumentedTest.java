package dev.rebound.coordinator.order;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rebound.model.filter.NonRestorableResources;
import dev.rebound.testsupport.Readme;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's restore order and never-restored list are the code's. */
class RestoreOrderDocumentedTest {

  @Test
  void readmeListsTheDefaultPrioritiesInOrder() {
    assertEquals(RestorePriorities.DEFAULT_HIGH, section("restore-order:high"));
    assertEquals(RestorePriorities.DEFAULT_LOW, section("restore-order:low"));
  }

  @Test
  void readmeNamesEveryNeverRestoredResource() {
    String readme = Readme.text();
    for (String r : NonRestorableResources.LIST) {
      assertEquals(true, readme.contains("`" + r + "`"), r);
    }
  }

  private static List<String> section(String marker) {
    String readme = Readme.text();
    int start = readme.indexOf("<!-- " + marker + " -->") + marker.length() + 9;
    int end = readme.indexOf("<!-- /" + marker + " -->");
    return Arrays.stream(readme.substring(start, end).split(",")).map(String::strip).toList();
  }
}
