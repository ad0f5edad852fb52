package io.supercharger.config;

public record Listen(String host, int port) {
  static Listen read(Node node) {
    Listen l = new Listen(node.string("host", "0.0.0.0"), node.integer("port", 8080, 0, 65535));
    node.rejectUnknownKeys();
    return l;
  }
}
