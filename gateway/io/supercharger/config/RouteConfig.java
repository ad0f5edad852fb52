package io.supercharger.config;

import java.util.List;
import java.util.Map;

/** A named route: path prefix on segment boundaries, methods (empty = all), class read|write. */
public record RouteConfig(
    String name, String path, List<String> methods, String routeClass, String pool) {
  static final List<String> CLASSES = List.of("read", "write");
  static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

  /** Returns null when the name is invalid; the rest is still read so every problem is reported. */
  static RouteConfig read(Node node, Map<String, PoolConfig> pools) {
    String name = node.string("name", null);
    if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
      node.problems()
          .add(node.pathOf("name"), name, "expected a name of letters, digits, _ . and -");
      name = null;
    }
    String path = node.string("path", "default".equals(name) ? "/" : null);
    if (path == null || !path.startsWith("/") || path.contains("?") || path.contains("//")) {
      node.problems()
          .add(node.pathOf("path"), path, "expected an absolute path prefix like /api/orders");
      path = "/";
    }
    List<String> methods = node.strings("methods", List.of());
    for (int i = 0; i < methods.size(); i++) {
      if (!METHODS.contains(methods.get(i))) {
        node.problems()
            .add(
                node.pathOf("methods") + "[" + i + "]",
                methods.get(i),
                "expected one of " + String.join("|", METHODS));
      }
    }
    String routeClass = node.oneOf("class", "read", CLASSES);
    String pool = node.string("pool", null);
    if (pool != null && !pools.containsKey(pool)) {
      node.problems().add(node.pathOf("pool"), pool, "no pool of that name");
    }
    // No placeholder name: two unnamed routes would otherwise also report each other as duplicates.
    return name == null ? null : new RouteConfig(name, path, methods, routeClass, pool);
  }
}
