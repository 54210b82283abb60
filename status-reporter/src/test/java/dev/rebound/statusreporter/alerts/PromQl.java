package dev.rebound.statusreporter.alerts;

import dev.rebound.statusreporter.metrics.MetricNames;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names a PromQL expression reads, and which of them Rebound does not export. */
final class PromQl {

  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "by", "without", "on",
      "ignoring", "group_left", "group_right", "offset", "inf", "nan", "Inf", "NaN");

  /** The histogram's series besides its name. */
  private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_count", "_sum", "_max");

  private PromQl() {}

  /** Every metric name the expression selects, in order of appearance. */
  static Set<String> metricNames(String expr) {
    String s = expr
        .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
        .replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
        .replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^\\]]*]", " ")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
        .replaceAll("\\boffset\\s+-?[0-9a-z]+", " ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String token = m.group();
      boolean call = s.substring(m.end()).stripLeading().startsWith("(");
      if (!call && !KEYWORDS.contains(token)) {
        names.add(token);
      }
    }
    return names;
  }

  /** The metric names the expression selects that no Rebound service exports. */
  static Set<String> notExported(String expr) {
    Set<String> missing = new TreeSet<>();
    for (String name : metricNames(expr)) {
      if (!exported(name)) {
        missing.add(name);
      }
    }
    return missing;
  }

  static boolean exported(String name) {
    if (MetricNames.PROMETHEUS.contains(name)) {
      return true;
    }
    String duration = "rebound_restore_duration_seconds";
    return HISTOGRAM_SUFFIXES.stream().anyMatch(suffix -> name.equals(duration + suffix));
  }
}
