package io.supercharger.canary;

import io.supercharger.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The SLO gates of policies/slo.yaml, shared by the canary and the bench verdict: per route class,
 * per-route overrides, the recycle thrash limit and the steady-state memory rule.
 */
public record SloPolicy(Map<String, Gate> classes, Map<String, Gate> routes, int recycleMaxPerMinute,
    double memoryMaxGrowthPct, int memoryWindowMinutes) {

  /** One gate: p95 at most {@code p95Ms}, error rate at most {@code errorRatePct} percent. */
  public record Gate(double p95Ms, double errorRatePct) {
  }

  public static final String EMBEDDED = "policies/slo.yaml";

  public Gate forClass(String routeClass) {
    return classes.getOrDefault(routeClass, classes.get("read"));
  }

  /** The route's own gate where it has one, filled in from its class. */
  public Gate forRoute(String route, String routeClass) {
    Gate base = forClass(routeClass);
    Gate override = routes.get(route);
    if (override == null) {
      return base;
    }
    return new Gate(Double.isNaN(override.p95Ms) ? base.p95Ms : override.p95Ms,
        Double.isNaN(override.errorRatePct) ? base.errorRatePct : override.errorRatePct);
  }

  /** Loads a policy file, or the one packed in the jar when {@code file} is null or empty. */
  public static SloPolicy load(String file) {
    try {
      if (file == null || file.isEmpty()) {
        try (InputStream in = SloPolicy.class.getClassLoader().getResourceAsStream(EMBEDDED)) {
          if (in == null) {
            throw new ConfigException(EMBEDDED + ": missing from the jar");
          }
          return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "(embedded " + EMBEDDED + ")");
        }
      }
      return parse(Files.readString(Path.of(file)), file);
    } catch (IOException e) {
      throw new ConfigException("canary.policy: cannot read " + file + " (" + e.getMessage() + ")");
    }
  }

  @SuppressWarnings("unchecked")
  static SloPolicy parse(String yaml, String source) {
    Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    if (!(doc instanceof Map<?, ?>)) {
      throw new ConfigException(source + ": expected a mapping");
    }
    Map<String, Object> root = (Map<String, Object>) doc;
    Map<String, Gate> classes = gates((Map<String, Object>) root.get("classes"), source + ": classes", false);
    if (!classes.containsKey("read") || !classes.containsKey("write")) {
      throw new ConfigException(source + ": classes: read and write are both required");
    }
    Map<String, Gate> routes = gates((Map<String, Object>) root.get("routes"), source + ": routes", true);
    Map<String, Object> recycle = (Map<String, Object>) root.getOrDefault("recycle", Map.of());
    Map<String, Object> memory = (Map<String, Object>) root.getOrDefault("memory", Map.of());
    for (String key : root.keySet()) {
      if (!List.of("classes", "routes", "recycle", "memory").contains(key)) {
        throw new ConfigException(source + ": " + key + ": unknown key");
      }
    }
    return new SloPolicy(classes, routes, (int) number(recycle, "max_per_minute", 6, source),
        number(memory, "max_growth_pct", 10, source), (int) number(memory, "window_minutes", 30, source));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Gate> gates(Map<String, Object> raw, String path, boolean partial) {
    Map<String, Gate> out = new LinkedHashMap<>();
    if (raw == null) {
      return out;
    }
    raw.forEach((name, value) -> {
      if (!(value instanceof Map<?, ?> gate)) {
        throw new ConfigException(path + "." + name + ": expected {p95_ms, error_rate_pct}");
      }
      Map<String, Object> g = (Map<String, Object>) gate;
      double fallback = partial ? Double.NaN : -1;
      double p95 = number(g, "p95_ms", fallback, path + "." + name);
      double err = number(g, "error_rate_pct", fallback, path + "." + name);
      if (p95 == -1 || err == -1) {
        throw new ConfigException(path + "." + name + ": p95_ms and error_rate_pct are required");
      }
      out.put(name, new Gate(p95, err));
    });
    return out;
  }

  private static double number(Map<String, Object> map, String key, double fallback, String path) {
    Object v = map.get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Number n) || n.doubleValue() < 0) {
      throw new ConfigException(path + "." + key + ": \"" + v + "\" (expected a non-negative number)");
    }
    return n.doubleValue();
  }
}
