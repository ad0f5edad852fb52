package io.supercharger.config;

/**
 * Where the gateway reads an instance's memory, uptime and reset counters. {@code url} may use
 * {host}, {port} and {instance}; empty means the engine's default (see the engine adapters).
 */
public record StatsConfig(String url, int intervalMs) {
  static StatsConfig read(Node node, String engineDefault) {
    String url = node.string("url", engineDefault);
    if (!url.isEmpty() && !url.startsWith("http://") && !url.startsWith("/")) {
      node.problems()
          .add(node.pathOf("url"), url, "expected an http:// URL or a path on the instance");
    }
    StatsConfig c = new StatsConfig(url, node.integer("interval_ms", 2000, 100, 600_000));
    node.rejectUnknownKeys();
    return c;
  }
}
