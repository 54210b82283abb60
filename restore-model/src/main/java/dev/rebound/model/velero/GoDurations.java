package dev.rebound.model.velero;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's {@code time.ParseDuration}, which Velero uses for hook timeouts ({@code 1h30m}, {@code 500ms},
 * {@code 2.5s}), and {@code time.Duration}'s text, which Velero prints.
 */
public final class GoDurations {

  private static final Pattern UNIT = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

  private GoDurations() {}

  /**
   * @return the duration in milliseconds (rounded down)
   * @throws IllegalArgumentException with Go's message ({@code time: invalid duration "x"})
   */
  public static long parseMillis(String text) {
    String s = text;
    boolean negative = false;
    if (s.startsWith("-") || s.startsWith("+")) {
      negative = s.startsWith("-");
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw invalid(text);
    }
    Matcher m = UNIT.matcher(s);
    int at = 0;
    BigDecimal nanos = BigDecimal.ZERO;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw invalid(text);
      }
      BigDecimal value = new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
      nanos = nanos.add(value.multiply(BigDecimal.valueOf(switch (m.group(2)) {
        case "ns" -> 1L;
        case "us", "µs", "μs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      })));
      at = m.end();
    }
    long millis = nanos.divideToIntegralValue(BigDecimal.valueOf(1_000_000)).longValue();
    return negative ? -millis : millis;
  }

  /** Go's {@code time.Duration} text for whole milliseconds: {@code 30s}, {@code 1m30s}, {@code 500ms}. */
  public static String format(long millis) {
    if (millis == 0) {
      return "0s";
    }
    if (millis < 1000) {
      return millis + "ms";
    }
    long hours = millis / 3_600_000;
    long minutes = millis / 60_000 % 60;
    long seconds = millis / 1000 % 60;
    long ms = millis % 1000;
    StringBuilder s = new StringBuilder();
    if (hours > 0) {
      s.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      s.append(minutes).append('m');
    }
    s.append(seconds);
    if (ms > 0) {
      s.append('.').append(String.format("%03d", ms).replaceAll("0+$", ""));
    }
    return s.append('s').toString();
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("time: invalid duration \"" + text + "\"");
  }
}
