package io.supercharger.config;

/** Request size limits, each with the status the design doc names (431, 414, 413). */
public record Limits(int maxHeaderBytes, int maxRequestLineBytes, long maxBodyBytes) {

  static Limits read(Node node) {
    Limits l =
        new Limits(
            node.integer("max_header_bytes", 32768, 1024, 1 << 20),
            node.integer("max_request_line_bytes", 8192, 256, 1 << 20),
            node.longValue("max_body_bytes", 10L << 20, 0, 1L << 40));
    node.rejectUnknownKeys();
    return l;
  }
}
