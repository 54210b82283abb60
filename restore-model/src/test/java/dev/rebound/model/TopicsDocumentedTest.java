package dev.rebound.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
