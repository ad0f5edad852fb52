package io.supercharger.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A cursor over one YAML mapping that knows its field path. Reading a key marks it as known, so
 * {@link #rejectUnknownKeys()} can refuse typos instead of silently ignoring them. Problems are
 * collected, not thrown, so one run of check-config reports every mistake at once.
 */
final class Node {
  private final String path;
  private final Map<String, Object> values;
  private final Problems problems;
  private final Set<String> read = new HashSet<>();

  Node(String path, Map<String, Object> values, Problems problems) {
    this.path = path;
    this.values = values;
    this.problems = problems;
  }

  String path() {
    return path;
  }

  String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /**
   * {@code key}'s field path plus {@code suffix} (an index), naming the environment variable when
   * one set the value: for problems whose message is not built by {@link Problems#add(String,
   * Object, String)}.
   */
  String where(String key, String suffix) {
    String p = pathOf(key) + suffix;
    return values.get(key) instanceof EnvValue env ? p + " (from " + env.variable() + ")" : p;
  }

  Problems problems() {
    return problems;
  }

  boolean has(String key) {
    return values.get(key) != null;
  }

  Set<String> keys() {
    return values.keySet();
  }

  Object raw(String key) {
    read.add(key);
    return values.get(key);
  }

  String string(String key, String fallback) {
    Object v = raw(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Map || v instanceof List) {
      problems.add(pathOf(key), v, "expected a string");
      return fallback;
    }
    return String.valueOf(v);
  }

  String oneOf(String key, String fallback, List<String> allowed) {
    String v = string(key, fallback);
    if (v != null && !allowed.contains(v)) {
      problems.add(pathOf(key), raw(key), "expected one of " + String.join("|", allowed));
      return fallback;
    }
    return v;
  }

  int integer(String key, int fallback, int min, int max) {
    return (int) longValue(key, fallback, min, max);
  }

  long longValue(String key, long fallback, long min, long max) {
    Object v = raw(key);
    if (v == null) {
      return fallback;
    }
    long parsed;
    if (v instanceof Integer || v instanceof Long) {
      parsed = ((Number) v).longValue();
    } else if (v instanceof EnvValue env && env.value().trim().matches("-?\\d{1,18}")) {
      parsed = Long.parseLong(env.value().trim());
    } else {
      problems.add(pathOf(key), v, "expected a whole number from " + min + " to " + max);
      return fallback;
    }
    if (parsed < min || parsed > max) {
      problems.add(pathOf(key), v, "expected a whole number from " + min + " to " + max);
      return fallback;
    }
    return parsed;
  }

  boolean bool(String key, boolean fallback) {
    Object v = raw(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof EnvValue env) {
      switch (env.value().trim().toLowerCase()) {
        case "1", "true", "yes", "on":
          return true;
        case "0", "false", "no", "off":
          return false;
        default:
          break;
      }
    }
    problems.add(pathOf(key), v, "expected true or false");
    return fallback;
  }

  List<String> strings(String key, List<String> fallback) {
    Object v = raw(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof EnvValue env) {
      List<String> out = new ArrayList<>();
      for (String part : env.value().split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
      return List.copyOf(out);
    }
    if (!(v instanceof List<?> list)) {
      problems.add(pathOf(key), v, "expected a list");
      return fallback;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (item == null || item instanceof Map || item instanceof List) {
        problems.add(pathOf(key) + "[" + i + "]", item, "expected a string");
      } else {
        out.add(String.valueOf(item));
      }
    }
    return List.copyOf(out);
  }

  /** A nested mapping; an absent key reads as an empty mapping so that defaults apply. */
  Node child(String key) {
    Object v = raw(key);
    if (v == null) {
      return new Node(pathOf(key), Map.of(), problems);
    }
    if (!(v instanceof Map<?, ?> map)) {
      problems.add(pathOf(key), v, "expected a mapping");
      return new Node(pathOf(key), Map.of(), problems);
    }
    return new Node(pathOf(key), asStringMap(map), problems);
  }

  /** A list of mappings, each read by {@code reader}. */
  <T> List<T> list(String key, Function<Node, T> reader) {
    Object v = raw(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      problems.add(pathOf(key), v, "expected a list");
      return List.of();
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String itemPath = pathOf(key) + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        problems.add(itemPath, list.get(i), "expected a mapping");
        continue;
      }
      Node item = new Node(itemPath, asStringMap(map), problems);
      T value = reader.apply(item);
      item.rejectUnknownKeys();
      if (value != null) {
        out.add(value);
      }
    }
    return List.copyOf(out);
  }

  /** Each entry of a mapping whose keys are names (pools, weights). Order is kept. */
  LinkedHashMap<String, Object> entries(String key) {
    Object v = raw(key);
    LinkedHashMap<String, Object> out = new LinkedHashMap<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof Map<?, ?> map)) {
      problems.add(pathOf(key), v, "expected a mapping");
      return out;
    }
    out.putAll(asStringMap(map));
    return out;
  }

  void rejectUnknownKeys() {
    for (String key : values.keySet()) {
      if (!read.contains(key)) {
        problems.add(pathOf(key) + ": unknown key");
      }
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asStringMap(Map<?, ?> map) {
    LinkedHashMap<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }
}
