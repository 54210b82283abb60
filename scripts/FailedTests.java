import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Prints every failed or erroneous test of the last build, read from the Surefire and Failsafe
 * reports under the given project root, with the head of its message, so that the end of a failed
 * {@code ./rebound test} (what CI keeps) says which test failed and why. Run with Java's source
 * launcher: {@code java scripts/FailedTests.java [root]}.
 */
public class FailedTests {

  /** Lines of a message printed; diagnostics a test adds to its message come after the first line. */
  private static final int LINES = 40;
  private static final int WIDTH = 400;

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : ".");
    List<Path> reports;
    try (Stream<Path> files = Files.find(root, 4, (p, a) -> p.getFileName().toString().matches("TEST-.*\\.xml")
        && p.getParent().getFileName().toString().matches("(surefire|failsafe)-reports"))) {
      reports = files.sorted().toList();
    }
    int failed = 0;
    for (Path report : reports) {
      failed += print(report);
    }
    System.out.println("[tests] " + failed + " failed test(s) in " + reports.size() + " report(s)");
  }

  private static int print(Path report) throws Exception {
    NodeList cases;
    try {
      cases = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile())
          .getElementsByTagName("testcase");
    } catch (IOException | org.xml.sax.SAXException e) {
      System.out.println("[tests] unreadable report " + report + ": " + e.getMessage());
      return 0;
    }
    int failed = 0;
    for (int i = 0; i < cases.getLength(); i++) {
      Element testcase = (Element) cases.item(i);
      for (String kind : List.of("failure", "error")) {
        NodeList problems = testcase.getElementsByTagName(kind);
        if (problems.getLength() == 0) {
          continue;
        }
        Element problem = (Element) problems.item(0);
        failed++;
        String name = testcase.getAttribute("classname");
        System.out.println("[tests] " + kind.toUpperCase() + " " + name.substring(name.lastIndexOf('.') + 1) + "."
            + testcase.getAttribute("name") + " (" + report.getParent().getParent().getParent().getFileName() + ")");
        // The message (with what the test added to it), else the head of the stack trace.
        String message = problem.getAttribute("message");
        (message.isEmpty() ? problem.getTextContent().lines().limit(6) : message.lines().limit(LINES))
            .map(line -> line.length() > WIDTH ? line.substring(0, WIDTH) + " ..." : line)
            .forEach(line -> System.out.println("    " + line));
      }
    }
    return failed;
  }
}
