package io.supercharger.config;

/** The incident flight recorder: how many access-log lines it keeps, and where snapshots go. */
public record FlightRecorderConfig(boolean enabled, int lines, String dir) {
  static FlightRecorderConfig read(Node node, ConfigPaths paths) {
    FlightRecorderConfig c =
        new FlightRecorderConfig(
            node.bool("enabled", true),
            node.integer("lines", 200, 1, 100_000),
            paths.resolve(node.string("dir", "state/snapshots")));
    node.rejectUnknownKeys();
    return c;
  }
}
