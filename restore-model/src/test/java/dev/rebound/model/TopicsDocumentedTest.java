package dev.rebound.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's topics table lists exactly the topics the code defines, in the same order. */
class TopicsDocumentedTest {

  @Test
  void readmeTopicsTableMatchesTopicsAll() throws IOException {
    String readme = Files.readString(Path.of(System.getProperty("rebound.project.root"), "README.md"));
    String section = readme.substring(readme.indexOf("## Topics and events"));
    section = section.substring(0, section.indexOf("\n## ", 1));
    Matcher rows = Pattern.compile("(?m)^\\| `([a-z.-]+)` \\|").matcher(section);
    List<String> documented = rows.results().map(m -> m.group(1)).toList();
    assertEquals(Topics.ALL, documented);
  }

  @Test
  void readmeNamesEveryRestoreEventType() throws IOException {
    String readme = Files.readString(Path.of(System.getProperty("rebound.project.root"), "README.md"));
    String row = readme.lines().filter(l -> l.startsWith("| `" + Topics.RESTORE_EVENTS + "` |")).findFirst()
        .orElseThrow();
    List<String> types = java.util.Arrays.stream(
            dev.rebound.model.pipeline.RestoreEvent.class.getAnnotation(JsonSubTypes.class).value())
        .map(JsonSubTypes.Type::name).toList();
    for (String type : types) {
      assertTrue(row.contains("`" + type + "`"), type + " is not in the README's topics table");
    }
  }
}
