package io.supercharger.config;

/**
 * Readiness probe per instance. Without {@code path} the probe is a TCP connect; with it, an HTTP
 * GET that must answer 2xx (http pools) or a FastCGI request to FPM's ping.path (fastcgi pools).
 * {@code successThreshold} successes in a row make a STARTING or DOWN instance READY.
 */
public record ProbeConfig(String path, int intervalMs, int timeoutMs, int successThreshold) {
  static ProbeConfig read(Node node) {
    String path = node.string("path", null);
    if (path != null && !path.startsWith("/")) {
      node.problems().add(node.pathOf("path"), path, "expected an absolute path like /health");
      path = null;
    }
    ProbeConfig c =
        new ProbeConfig(
            path,
            node.integer("interval_ms", 2000, 50, 600_000),
            node.integer("timeout_ms", 1000, 10, 600_000),
            node.integer("success_threshold", 1, 1, 100));
    node.rejectUnknownKeys();
    return c;
  }
}
