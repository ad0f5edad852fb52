package io.supercharger.policy;

import io.supercharger.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * policies/slo.yaml, the runbook's SLO gates (schema in ARCHITECTURE.md), shared by the canary's
 * judge and the bench verdict: p95 and error rate per route class, per-route overrides, the recycle
 * thrash limit and the steady-state memory rule.
 *
 * @param source where the policy came from: a file path, or the embedded default; shown in reports
 * @param classes gates per route class; "read" and "write" are always present
 * @param routes per-route overrides by route name; a field left out falls back to the route's class
 */
public record SloPolicy(
    String source,
    Map<String, Limits> classes,
    Map<String, RouteOverride> routes,
    int recycleMaxPerMinute,
    double memoryMaxGrowthPct,
    int memoryWindowMinutes) {

  public static final String EMBEDDED = "policies/slo.yaml";

  private static final Set<String> TOP = Set.of("classes", "routes", "recycle", "memory");
  private static final Set<String> GATE = Set.of("p95_ms", "error_rate_pct");

  /** One gate: p95 at most {@code p95Ms}, error rate at most {@code errorRatePct} percent. */
  public record Limits(double p95Ms, double errorRatePct) {}

  /** A route's own gate; a null field falls back to the route's class. */
  public record RouteOverride(Double p95Ms, Double errorRatePct) {
    Limits over(Limits base) {
      return new Limits(
          p95Ms != null ? p95Ms : base.p95Ms(),
          errorRatePct != null ? errorRatePct : base.errorRatePct());
    }
  }

  public SloPolicy {
    classes = Collections.unmodifiableMap(new LinkedHashMap<>(classes));
    routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
  }

  /** The gate of a route class; a class the policy does not name is judged as "read". */
  public Limits forClass(String routeClass) {
    Limits own = routeClass == null ? null : classes.get(routeClass);
    return own != null ? own : classes.get("read");
  }

  /** The route's own gate where it has one, filled in from its class. */
  public Limits forRoute(String route, String routeClass) {
    Limits base = forClass(routeClass);
    RouteOverride override = routes.get(route);
    return override == null ? base : override.over(base);
  }

  public static SloPolicy load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
    }
    return parse(text, file.toString());
  }

  /** The policy packed in the jar: the repository's policies/slo.yaml at build time. */
  public static SloPolicy embedded() {
    try (InputStream in = SloPolicy.class.getClassLoader().getResourceAsStream(EMBEDDED)) {
      if (in == null) {
        throw new ConfigException(EMBEDDED + ": missing from the jar");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "embedded " + EMBEDDED);
    } catch (IOException e) {
      throw new ConfigException(EMBEDDED + ": cannot read from the jar (" + e.getMessage() + ")");
    }
  }

  /**
   * {@code file}, or the embedded policy when {@code file} is null or empty (canary.policy left
   * out).
   */
  public static SloPolicy loadOrEmbedded(String file) {
    return file == null || file.isEmpty() ? embedded() : load(Path.of(file));
  }

  /**
   * Every problem of the document at once, each as {@code source: field.path: "value" (expected
   * …)}.
   */
  public static SloPolicy parse(String yaml, String source) {
    Object doc;
    try {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    } catch (YAMLException e) {
      throw new ConfigException(source + ": invalid YAML: " + e.getMessage());
    }
    if (!(doc instanceof Map<?, ?> root)) {
      throw new ConfigException(source + ": expected a mapping with " + new TreeSet<>(TOP));
    }
    Reader r = new Reader(source);
    r.known(root, TOP, "");
    Map<?, ?> rawClasses = r.mapping(root.get("classes"), "classes");
    Map<String, Limits> classes = new LinkedHashMap<>();
    rawClasses.forEach(
        (name, gate) -> {
          Map<?, ?> fields = r.gate(gate, "classes." + name);
          Double p95 = r.number(fields.get("p95_ms"), "classes." + name + ".p95_ms");
          Double errors =
              r.number(fields.get("error_rate_pct"), "classes." + name + ".error_rate_pct");
          if (p95 != null && errors != null) {
            classes.put(String.valueOf(name), new Limits(p95, errors));
          } else if (fields.get("p95_ms") == null || fields.get("error_rate_pct") == null) {
            r.problem("classes." + name + ": p95_ms and error_rate_pct are both required");
          }
        });
    for (String required : List.of("read", "write")) {
      if (!rawClasses.containsKey(required)) {
        r.problem("classes." + required + ": missing (read and write are both required)");
      }
    }
    Map<String, RouteOverride> routes = new LinkedHashMap<>();
    r.mapping(root.get("routes"), "routes")
        .forEach(
            (name, gate) -> {
              Map<?, ?> fields = r.gate(gate, "routes." + name);
              routes.put(
                  String.valueOf(name),
                  new RouteOverride(
                      r.number(fields.get("p95_ms"), "routes." + name + ".p95_ms"),
                      r.number(
                          fields.get("error_rate_pct"), "routes." + name + ".error_rate_pct")));
            });
    Map<?, ?> recycle = r.mapping(root.get("recycle"), "recycle");
    r.known(recycle, Set.of("max_per_minute"), "recycle.");
    Map<?, ?> memory = r.mapping(root.get("memory"), "memory");
    r.known(memory, Set.of("max_growth_pct", "window_minutes"), "memory.");
    int recycleMax = r.wholeNumber(recycle.get("max_per_minute"), 6, "recycle.max_per_minute");
    Double growth = r.number(memory.get("max_growth_pct"), "memory.max_growth_pct");
    int window = r.wholeNumber(memory.get("window_minutes"), 30, "memory.window_minutes");
    r.throwIfAny();
    return new SloPolicy(source, classes, routes, recycleMax, growth == null ? 10 : growth, window);
  }

  /** Reads one document, collecting every problem so that one run names them all. */
  private static final class Reader {
    private final String source;
    private final List<String> problems = new ArrayList<>();

    Reader(String source) {
      this.source = source;
    }

    void problem(String line) {
      problems.add(source + ": " + line);
    }

    void problem(String path, Object value, String expectation) {
      problem(path + ": \"" + value + "\" (" + expectation + ")");
    }

    void throwIfAny() {
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
    }

    /** A mapping; absent reads as empty so that the defaults apply. */
    Map<?, ?> mapping(Object node, String path) {
      if (node == null) {
        return Map.of();
      }
      if (node instanceof Map<?, ?> m) {
        return m;
      }
      problem(path, node, "expected a mapping");
      return Map.of();
    }

    /** {@code {p95_ms, error_rate_pct}}, nothing else. */
    Map<?, ?> gate(Object node, String path) {
      if (!(node instanceof Map<?, ?>)) {
        problem(path, node, "expected {p95_ms, error_rate_pct}");
        return Map.of();
      }
      Map<?, ?> fields = (Map<?, ?>) node;
      known(fields, GATE, path + ".");
      return fields;
    }

    /** A number >= 0, or null when absent or invalid. */
    Double number(Object value, String path) {
      if (value == null) {
        return null;
      }
      if (value instanceof Number n && n.doubleValue() >= 0) {
        return n.doubleValue();
      }
      problem(path, value, "expected a non-negative number");
      return null;
    }

    int wholeNumber(Object value, int fallback, String path) {
      Double n = number(value, path);
      if (n == null) {
        return fallback;
      }
      if (n != Math.rint(n) || n > Integer.MAX_VALUE) {
        problem(path, value, "expected a whole number >= 0");
        return fallback;
      }
      return n.intValue();
    }

    void known(Map<?, ?> fields, Set<String> keys, String prefix) {
      for (Object key : fields.keySet()) {
        if (!keys.contains(String.valueOf(key))) {
          problem(prefix + key + ": unknown key (expected one of " + new TreeSet<>(keys) + ")");
        }
      }
    }
  }
}
