package io.supercharger.bench;

import io.supercharger.routing.PathNormalizer;
import io.supercharger.routing.Route;
import io.supercharger.routing.RouteClass;
import io.supercharger.routing.RouteTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads a scenario file (YAML). Every problem names its field path, and unknown keys are errors:
 * {@code requests[1].weight: 0 (expected: a whole number from 1 to 10000)}.
 */
public final class ScenarioLoader {
  private static final Set<String> TOP = Set.of("name", "requests");
  private static final Set<String> REQUEST =
      Set.of("weight", "method", "path", "headers", "body_bytes", "class", "route");
  private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private ScenarioLoader() {}

  /**
   * @param routes the gateway's route table, to name and classify requests the file leaves open;
   *     null to fall back to "METHOD /path" and the method (GET, HEAD and OPTIONS read, others
   *     write)
   */
  public static Scenario load(Path file, RouteTable routes) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String fallbackName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    return parse(text, fallbackName, routes);
  }

  public static Scenario parse(String yaml, String fallbackName, RouteTable routes) {
    Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    if (!(root instanceof Map<?, ?> top)) {
      throw new IllegalArgumentException("scenario: expected a mapping with name and requests");
    }
    unknownKeys(top, TOP, "");
    String name = top.get("name") == null ? fallbackName : top.get("name").toString();
    if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(
          "name: \"" + name + "\" (expected: letters, digits, . _ - only)");
    }
    if (!(top.get("requests") instanceof List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException("requests: expected a non-empty list");
    }
    List<Scenario.Request> requests = new ArrayList<>();
    Map<String, String> classOfRoute = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String at = "requests[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException(at + ": expected a mapping");
      }
      Scenario.Request r = request(m, at, routes);
      String previous = classOfRoute.putIfAbsent(r.route(), r.requestClass());
      if (previous != null && !previous.equals(r.requestClass())) {
        throw new IllegalArgumentException(
            at
                + ".class: "
                + r.requestClass()
                + " (route \""
                + r.route()
                + "\" is already "
                + previous
                + " in an earlier request)");
      }
      requests.add(r);
    }
    return new Scenario(name, requests);
  }

  private static Scenario.Request request(Map<?, ?> m, String at, RouteTable routes) {
    unknownKeys(m, REQUEST, at + ".");
    int weight = intField(m, "weight", 1, 1, 10_000, at);
    String method =
        m.get("method") == null ? "GET" : m.get("method").toString().toUpperCase(Locale.ROOT);
    if (!method.matches("[A-Z]{3,10}")) {
      throw new IllegalArgumentException(
          at + ".method: \"" + method + "\" (expected: an HTTP method)");
    }
    Object p = m.get("path");
    if (p == null || !p.toString().startsWith("/")) {
      throw new IllegalArgumentException(
          at + ".path: " + p + " (expected: an absolute path like /api/orders)");
    }
    String path = p.toString();
    Map<String, String> headers = new LinkedHashMap<>();
    if (m.get("headers") instanceof Map<?, ?> h) {
      h.forEach((k, v) -> headers.put(k.toString(), String.valueOf(v)));
    } else if (m.get("headers") != null) {
      throw new IllegalArgumentException(at + ".headers: expected a mapping of name: value");
    }
    int bodyBytes = intField(m, "body_bytes", 0, 0, 64 << 20, at);
    byte[] body = padding(bodyBytes);
    if (bodyBytes > 0
        && headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("content-type"))) {
      headers.put(
          "Content-Type", bodyBytes >= 12 ? "application/json" : "application/octet-stream");
    }
    String rawPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    Route matched = routes == null ? null : routes.match(method, PathNormalizer.normalize(rawPath));
    String route =
        m.get("route") != null
            ? m.get("route").toString()
            : matched != null ? matched.name() : method + " " + rawPath;
    String cls;
    if (m.get("class") != null) {
      cls = m.get("class").toString().toLowerCase(Locale.ROOT);
      if (!cls.equals("read") && !cls.equals("write")) {
        throw new IllegalArgumentException(at + ".class: " + cls + " (expected: read or write)");
      }
    } else if (matched != null) {
      cls = matched.routeClass() == RouteClass.WRITE ? "write" : "read";
    } else {
      cls = READ_METHODS.contains(method) ? "read" : "write";
    }
    return new Scenario.Request(weight, method, path, headers, body, route, cls);
  }

  /** {"pad":"xxx…"} of exactly n bytes, so JSON apps accept it; plain x's below 12 bytes. */
  static byte[] padding(int n) {
    if (n == 0) {
      return new byte[0];
    }
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) 'x');
    if (n >= 12) {
      byte[] head = "{\"pad\":\"".getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(head, 0, b, 0, head.length);
      b[n - 2] = '"';
      b[n - 1] = '}';
    }
    return b;
  }

  private static int intField(Map<?, ?> m, String key, int fallback, int min, int max, String at) {
    Object v = m.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Integer n && n >= min && n <= max) {
      return n;
    }
    throw new IllegalArgumentException(
        at + "." + key + ": " + v + " (expected: a whole number from " + min + " to " + max + ")");
  }

  private static void unknownKeys(Map<?, ?> m, Set<String> known, String prefix) {
    for (Object k : m.keySet()) {
      if (!known.contains(String.valueOf(k))) {
        throw new IllegalArgumentException(
            prefix + k + ": unknown key (expected one of " + new java.util.TreeSet<>(known) + ")");
      }
    }
  }
}
