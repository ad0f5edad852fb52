package io.supercharger.config;

import java.util.ArrayList;
import java.util.List;

/** Collects config problems in the form {@code path: "value" (expected …)}. */
final class Problems {
  private final List<String> lines = new ArrayList<>();

  void add(String line) {
    lines.add(line);
  }

  void add(String path, Object value, String expectation) {
    String source = value instanceof EnvValue env ? " (from " + env.variable() + ")" : "";
    lines.add(path + source + ": " + quote(value) + " (" + expectation + ")");
  }

  boolean isEmpty() {
    return lines.isEmpty();
  }

  void throwIfAny() {
    if (!lines.isEmpty()) {
      throw new ConfigException(lines);
    }
  }

  private static String quote(Object value) {
    if (value == null) {
      return "null";
    }
    String text = String.valueOf(value);
    if (text.length() > 80) {
      text = text.substring(0, 77) + "...";
    }
    return "\"" + text.replace("\"", "\\\"") + "\"";
  }
}
