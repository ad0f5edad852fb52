package io.supercharger.config;

/**
 * Readiness probe per instance. Without {@code path} the probe is a TCP connect (FastCGI pools, or
 * engines without a health route); with it, an HTTP GET that must answer 2xx.
 */
public record ProbeConfig(String path, int intervalMs, int timeoutMs) {
  static ProbeConfig read(Node node, String protocol) {
    String path = node.string("path", null);
    if (path != null && (!path.startsWith("/") || "fastcgi".equals(protocol))) {
      node.problems().add(node.pathOf("path"), path,
          "fastcgi".equals(protocol) ? "fastcgi pools probe by TCP connect; remove path"
              : "expected an absolute path like /health");
      path = null;
    }
    ProbeConfig c = new ProbeConfig(path,
        node.integer("interval_ms", 2000, 50, 600_000),
        node.integer("timeout_ms", 1000, 10, 600_000));
    node.rejectUnknownKeys();
    return c;
  }
}
