package io.supercharger.config;

/** {@code path} is {@code stdout} or a file path resolved against the config file's folder. */
public record AccessLogConfig(boolean enabled, String path) {
  static AccessLogConfig read(Node node, ConfigPaths paths) {
    boolean enabled = node.bool("enabled", true);
    String path = node.string("path", "stdout");
    node.rejectUnknownKeys();
    return new AccessLogConfig(enabled, "stdout".equals(path) ? path : paths.resolve(path));
  }
}
