package dev.rebound.statusreporter.restores;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A restore's log as Velero writes it: logrus-style text lines
 * ({@code time="..." level=info msg="..." restore=<ns>/<name>}), with the target cluster named
 * when the restore has more than one.
 */
final class RestoreLogLines {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

  private final String restore;
  private final List<String> lines = new ArrayList<>();

  /** @param restore {@code <namespace>/<name>}, as Velero's {@code restore} field */
  RestoreLogLines(String restore) {
    this.restore = restore;
  }

  /** @param cluster the target cluster, written only when {@code clusters > 1} */
  void add(Instant at, String level, String message, String cluster, int clusters) {
    StringBuilder line = new StringBuilder("time=\"").append(TIME.format(at)).append("\" level=").append(level)
        .append(" msg=").append(quote(message)).append(" restore=").append(restore);
    if (cluster != null && clusters > 1) {
      line.append(" cluster=").append(cluster);
    }
    lines.add(line.toString());
  }

  String text() {
    return String.join("\n", lines) + (lines.isEmpty() ? "" : "\n");
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
