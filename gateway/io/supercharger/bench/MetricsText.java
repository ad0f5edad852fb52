package io.supercharger.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Just enough of the Prometheus text format to read one metric's samples and their labels. */
public final class MetricsText {
  public record Sample(String name, Map<String, String> labels, double value) {
  }

  private final List<Sample> samples = new ArrayList<>();

  public MetricsText(String text) {
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Sample s = parse(line.trim());
      if (s != null) {
        samples.add(s);
      }
    }
  }

  public List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  public boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  private static Sample parse(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    String rest;
    if (brace > 0 && (space < 0 || brace < space)) {
      name = line.substring(0, brace);
      int close = line.lastIndexOf('}');
      if (close < brace) {
        return null;
      }
      readLabels(line.substring(brace + 1, close), labels);
      rest = line.substring(close + 1).trim();
    } else if (space > 0) {
      name = line.substring(0, space);
      rest = line.substring(space + 1).trim();
    } else {
      return null;
    }
    String value = rest.split("\\s+")[0];
    try {
      return new Sample(name, labels, Double.parseDouble(value.replace("+Inf", "Infinity").replace("-Inf", "-Infinity")));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void readLabels(String body, Map<String, String> labels) {
    int i = 0;
    while (i < body.length()) {
      int eq = body.indexOf('=', i);
      if (eq < 0 || eq + 1 >= body.length() || body.charAt(eq + 1) != '"') {
        return;
      }
      String key = body.substring(i, eq).trim().replaceFirst("^,", "").trim();
      StringBuilder v = new StringBuilder();
      int j = eq + 2;
      for (; j < body.length() && body.charAt(j) != '"'; j++) {
        char c = body.charAt(j);
        if (c == '\\' && j + 1 < body.length()) {
          char n = body.charAt(++j);
          v.append(n == 'n' ? '\n' : n);
        } else {
          v.append(c);
        }
      }
      labels.put(key, v.toString());
      i = j + 1;
      while (i < body.length() && (body.charAt(i) == ',' || body.charAt(i) == ' ')) {
        i++;
      }
    }
  }
}
