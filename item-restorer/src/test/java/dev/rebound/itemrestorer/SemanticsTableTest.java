package dev.rebound.itemrestorer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** DESIGN.md's semantics table names only tests that exist (issue 5, acceptance 3). */
class SemanticsTableTest {

  private static final Pattern TEST_REFERENCE = Pattern.compile("`([A-Z][A-Za-z0-9]*(?:Test|IT))(?:#([a-zA-Z0-9]+))?`");

  @Test
  void everyTestTheTableNamesExists() throws IOException {
    Path root = Path.of(System.getProperty("rebound.project.root"));
    String design = Files.readString(root.resolve("DESIGN.md"));
    int start = design.indexOf("### Semantics table");
    assertTrue(start >= 0, "DESIGN.md has no semantics table");
    String table = design.substring(start, design.indexOf("\nNot yet:", start));
    Map<String, Path> sources;
    try (Stream<Path> files = Files.walk(root)) {
      sources = files.filter(f -> f.toString().endsWith(".java") && !f.toString().contains("/target/"))
          .collect(Collectors.toMap(f -> f.getFileName().toString().replace(".java", ""), f -> f, (a, b) -> a));
    }
    List<String> missing = new ArrayList<>();
    int rows = 0;
    for (String row : table.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| Velero") && !l.startsWith("| ---"))
        .toList()) {
      rows++;
      Matcher m = TEST_REFERENCE.matcher(row);
      boolean any = false;
      while (m.find()) {
        any = true;
        Path source = sources.get(m.group(1));
        if (source == null) {
          missing.add(m.group(0) + " (no such class)");
        } else if (m.group(2) != null && !read(source).contains("void " + m.group(2) + "(")) {
          missing.add(m.group(0) + " (no such test method)");
        }
      }
      if (!any) {
        missing.add("a row names no test: " + row);
      }
    }
    assertTrue(rows > 20, "the table has " + rows + " rows");
    assertFalse(!missing.isEmpty(), String.join("\n", missing));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
