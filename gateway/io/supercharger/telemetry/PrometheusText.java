package io.supercharger.telemetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A small, tolerant reader of the Prometheus text exposition format (version 0.0.4): enough to read
 * the gauges that RoadRunner and FrankenPHP expose, and the gateway's own /metrics for the bench
 * gate. Comments ({@code # HELP}, {@code # TYPE}) and lines it cannot read are skipped, never
 * fatal: one odd series from an application collector must not cost the gateway an engine's memory
 * reading. Timestamps after the value are ignored.
 */
public final class PrometheusText {

  /** One sample line: {@code name{labels} value}. */
  public record Sample(String name, Map<String, String> labels, double value) {
    public String label(String key) {
      return labels.get(key);
    }
  }

  private final List<Sample> samples;

  private PrometheusText(List<Sample> samples) {
    this.samples = samples;
  }

  public static PrometheusText parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Sample s = parseLine(line);
      if (s != null) {
        out.add(s);
      }
    }
    return new PrometheusText(List.copyOf(out));
  }

  public List<Sample> samples() {
    return samples;
  }

  public List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name.equals(name)).toList();
  }

  public boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name.equals(name));
  }

  public boolean hasPrefix(String prefix) {
    return samples.stream().anyMatch(s -> s.name.startsWith(prefix));
  }

  /** The largest finite value of the series {@code name}, over all label sets. */
  public OptionalDouble max(String name) {
    return samples(name).stream().mapToDouble(Sample::value).filter(Double::isFinite).max();
  }

  /** The sum of the finite values of the series {@code name}; empty when there is none. */
  public OptionalDouble sum(String name) {
    List<Sample> found = samples(name);
    if (found.isEmpty()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(
        found.stream().mapToDouble(Sample::value).filter(Double::isFinite).sum());
  }

  /** name, optional {labels}, whitespace, value, optional timestamp; null when malformed. */
  static Sample parseLine(String line) {
    int i = 0;
    int n = line.length();
    while (i < n && isNameChar(line.charAt(i), i == 0)) {
      i++;
    }
    if (i == 0) {
      return null;
    }
    String name = line.substring(0, i);
    Map<String, String> labels = Map.of();
    if (i < n && line.charAt(i) == '{') {
      labels = new LinkedHashMap<>();
      i = parseLabels(line, i + 1, labels);
      if (i < 0) {
        return null;
      }
    }
    String[] rest = line.substring(i).strip().split("\\s+");
    if (rest.length == 0 || rest[0].isEmpty()) {
      return null;
    }
    Double value = parseValue(rest[0]);
    return value == null ? null : new Sample(name, Map.copyOf(labels), value);
  }

  /** Reads {@code a="x",b="y"}} from just after the brace; returns the index after '}' or -1. */
  private static int parseLabels(String line, int i, Map<String, String> labels) {
    int n = line.length();
    while (true) {
      while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == ',')) {
        i++;
      }
      if (i >= n) {
        return -1;
      }
      if (line.charAt(i) == '}') {
        return i + 1;
      }
      int eq = line.indexOf('=', i);
      if (eq < 0 || eq + 1 >= n || line.charAt(eq + 1) != '"') {
        return -1;
      }
      String key = line.substring(i, eq).strip();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < n; j++) {
        char c = line.charAt(j);
        if (c == '\\' && j + 1 < n) {
          char next = line.charAt(++j);
          value.append(next == 'n' ? '\n' : next);
        } else if (c == '"') {
          break;
        } else {
          value.append(c);
        }
      }
      if (j >= n) {
        return -1;
      }
      labels.put(key, value.toString());
      i = j + 1;
    }
  }

  private static Double parseValue(String token) {
    switch (token) {
      case "+Inf", "Inf" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-Inf" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "NaN" -> {
        return Double.NaN;
      }
      default -> {
        try {
          return Double.parseDouble(token);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
  }

  private static boolean isNameChar(char c, boolean first) {
    return c == '_'
        || c == ':'
        || (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (!first && c >= '0' && c <= '9');
  }
}
