package io.supercharger.config;

/** Milliseconds. Pools inherit the top-level values and may override any of them. */
public record Timeouts(
    int connectMs, int responseMs, int idleMs, int headerReadMs, int bodyReadMs) {
  static final int MAX_MS = 86_400_000;

  static Timeouts read(Node node, Timeouts defaults) {
    Timeouts t =
        new Timeouts(
            node.integer("connect_ms", defaults.connectMs, 1, MAX_MS),
            node.integer("response_ms", defaults.responseMs, 1, MAX_MS),
            node.integer("idle_ms", defaults.idleMs, 1, MAX_MS),
            node.integer("header_read_ms", defaults.headerReadMs, 1, MAX_MS),
            node.integer("body_read_ms", defaults.bodyReadMs, 1, MAX_MS));
    node.rejectUnknownKeys();
    return t;
  }
}
