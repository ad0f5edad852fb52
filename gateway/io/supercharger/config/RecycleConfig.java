package io.supercharger.config;

import java.util.List;
import java.util.Map;

/**
 * How an instance is recycled once drained. Placeholders {host}, {port} and {instance} are filled
 * in commands and URLs.
 *
 * <ul>
 *   <li>{@code exec}: run {@code command} (e.g. {@code rr reset http}, a supervisor restart);
 *   <li>{@code http}: {@code method url} with {@code headers} (e.g. FrankenPHP's admin API);
 *   <li>{@code signal}: send {@code signal} to the pid in {@code pid_file}, or, without one, to the
 *       pid the engine reports in its status;
 *   <li>{@code none}: the engine recycles itself; the gateway only drains.
 * </ul>
 */
public record RecycleConfig(
    String action,
    List<String> command,
    String method,
    String url,
    Map<String, String> headers,
    String signal,
    String pidFile) {

  static final List<String> ACTIONS = List.of("exec", "http", "signal", "none");
  static final List<String> SIGNALS = List.of("TERM", "HUP", "USR1", "USR2", "INT", "QUIT", "KILL");
  public static final RecycleConfig NONE =
      new RecycleConfig("none", List.of(), null, null, Map.of(), null, null);

  static RecycleConfig read(Node node, ConfigPaths paths) {
    String action = node.oneOf("action", null, ACTIONS);
    if (action == null) {
      if (!node.has("action")) {
        node.problems()
            .add(node.pathOf("action") + ": required (" + String.join("|", ACTIONS) + ")");
      }
      action = "none";
    }
    List<String> command = node.strings("command", List.of());
    String method = node.oneOf("method", "POST", List.of("GET", "POST", "PUT", "DELETE"));
    String url = node.string("url", null);
    Map<String, String> headers = Map.copyOf(stringMap(node, "headers"));
    String signal = node.oneOf("signal", null, SIGNALS);
    String pidFile = paths.resolve(node.string("pid_file", null));
    switch (action) {
      case "exec" -> {
        if (command.isEmpty()) {
          node.problems().add(node.pathOf("command") + ": required for action exec (an argv list)");
        }
      }
      case "http" -> {
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
          node.problems()
              .add(node.pathOf("url"), url, "expected an http:// or https:// URL for action http");
        }
      }
      case "signal" -> {
        if (signal == null) {
          node.problems()
              .add(
                  node.pathOf("signal")
                      + ": required for action signal ("
                      + String.join("|", SIGNALS)
                      + ")");
        }
      }
      default -> {}
    }
    node.rejectUnknownKeys();
    return new RecycleConfig(action, command, method, url, headers, signal, pidFile);
  }

  private static Map<String, String> stringMap(Node node, String key) {
    java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
    node.entries(key)
        .forEach(
            (k, v) -> {
              if (v == null || v instanceof Map || v instanceof List) {
                node.problems().add(node.pathOf(key) + "." + k, v, "expected a string");
              } else {
                out.put(k, String.valueOf(v));
              }
            });
    return out;
  }
}
