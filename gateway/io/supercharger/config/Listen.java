package io.supercharger.config;

/**
 * The front listener. {@code h2c} (cleartext HTTP/2) is opt-in: with it on, a client that never
 * finishes its request head is bounded by idle_ms only, not by header_read_ms.
 */
public record Listen(String host, int port, boolean h2c) {
  static Listen read(Node node) {
    Listen l =
        new Listen(
            node.string("host", "0.0.0.0"),
            node.integer("port", 8080, 0, 65535),
            node.bool("h2c", false));
    node.rejectUnknownKeys();
    return l;
  }
}
