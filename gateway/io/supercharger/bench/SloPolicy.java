package io.supercharger.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * policies/slo.yaml: the runbook's SLO gates, shared with the canary. Read here (the canary issue may
 * move the loader next to its controller; the shape is ARCHITECTURE.md's).
 *
 * @param classes limits per class ("read", "write")
 * @param routes  per-route overrides by route name; a missing field falls back to the route's class
 */
public record SloPolicy(String source, Map<String, Limits> classes, Map<String, Limits> routes,
                        int recycleMaxPerMinute, double memoryMaxGrowthPct, double memoryWindowMinutes) {

  /** @param p95Ms null when not set; errorRatePct likewise */
  public record Limits(Double p95Ms, Double errorRatePct) {
    Limits over(Limits fallback) {
      if (fallback == null) {
        return this;
      }
      return new Limits(p95Ms != null ? p95Ms : fallback.p95Ms, errorRatePct != null ? errorRatePct : fallback.errorRatePct);
    }
  }

  public static final String EMBEDDED = "policies/slo.yaml";

  public static SloPolicy load(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /** The policy packed in the jar (the repository's policies/slo.yaml at build time). */
  public static SloPolicy embedded() throws IOException {
    try (InputStream in = SloPolicy.class.getClassLoader().getResourceAsStream(EMBEDDED)) {
      if (in == null) {
        throw new IOException(EMBEDDED + " is not on the classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "embedded " + EMBEDDED);
    }
  }

  public static SloPolicy parse(String yaml, String source) {
    Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    Map<?, ?> top = root instanceof Map<?, ?> m ? m : Map.of();
    known(top, Set.of("classes", "routes", "recycle", "memory"), "");
    Map<String, Limits> classes = limitsMap(top.get("classes"), "classes");
    Map<String, Limits> routes = limitsMap(top.get("routes"), "routes");
    Map<?, ?> recycle = map(top.get("recycle"), "recycle");
    known(recycle, Set.of("max_per_minute"), "recycle.");
    Map<?, ?> memory = map(top.get("memory"), "memory");
    known(memory, Set.of("max_growth_pct", "window_minutes"), "memory.");
    return new SloPolicy(source, classes, routes,
        (int) number(recycle.get("max_per_minute"), 6, "recycle.max_per_minute"),
        number(memory.get("max_growth_pct"), 10, "memory.max_growth_pct"),
        number(memory.get("window_minutes"), 30, "memory.window_minutes"));
  }

  /** The limits for a route: its override over its class's. */
  public Limits limitsFor(String route, String requestClass) {
    Limits cls = classes.get(requestClass);
    Limits override = routes.get(route);
    return override == null ? cls : override.over(cls);
  }

  private static Map<String, Limits> limitsMap(Object node, String at) {
    Map<String, Limits> out = new LinkedHashMap<>();
    map(node, at).forEach((k, v) -> {
      Map<?, ?> fields = map(v, at + "." + k);
      known(fields, Set.of("p95_ms", "error_rate_pct"), at + "." + k + ".");
      out.put(k.toString(), new Limits(
          fields.get("p95_ms") == null ? null : number(fields.get("p95_ms"), 0, at + "." + k + ".p95_ms"),
          fields.get("error_rate_pct") == null ? null : number(fields.get("error_rate_pct"), 0, at + "." + k + ".error_rate_pct")));
    });
    return out;
  }

  private static Map<?, ?> map(Object node, String at) {
    if (node == null) {
      return Map.of();
    }
    if (node instanceof Map<?, ?> m) {
      return m;
    }
    throw new IllegalArgumentException(at + ": " + node + " (expected: a mapping)");
  }

  private static double number(Object v, double fallback, String at) {
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n && n.doubleValue() >= 0) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(at + ": " + v + " (expected: a number >= 0)");
  }

  private static void known(Map<?, ?> m, Set<String> keys, String prefix) {
    for (Object k : m.keySet()) {
      if (!keys.contains(String.valueOf(k))) {
        throw new IllegalArgumentException(prefix + k + ": unknown key (expected one of " + new java.util.TreeSet<>(keys) + ")");
      }
    }
  }
}
