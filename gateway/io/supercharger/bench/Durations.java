package io.supercharger.bench;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** "500ms", "30s", "5m", "2h", "1d", or a bare number of seconds. */
public final class Durations {
  private static final Pattern P = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)?");

  private Durations() {}

  public static Duration parse(String text) {
    Matcher m = P.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(text + " (expected a duration like 30s, 5m, 2h or 500ms)");
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis =
        switch (unit) {
          case "ms" -> n;
          case "s" -> n * 1e3;
          case "m" -> n * 60e3;
          case "h" -> n * 3600e3;
          default -> n * 86400e3;
        };
    return Duration.ofMillis(Math.round(millis));
  }
}
