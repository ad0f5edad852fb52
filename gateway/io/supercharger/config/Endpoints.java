package io.supercharger.config;

import java.util.HashSet;
import java.util.Set;

/** The reserved paths. Only these are taken from the application's path space. */
public record Endpoints(String status, String metrics, String health, String ready, String admin) {

  static Endpoints read(Node node) {
    Endpoints e =
        new Endpoints(
            path(node, "status", "/status"),
            path(node, "metrics", "/metrics"),
            path(node, "health", "/healthz"),
            path(node, "ready", "/ready"),
            path(node, "admin", "/admin"));
    node.rejectUnknownKeys();
    Set<String> seen = new HashSet<>();
    for (String p : new String[] {e.status, e.metrics, e.health, e.ready, e.admin}) {
      if (!seen.add(p)) {
        node.problems().add(node.path(), p, "each endpoint needs its own path");
      }
    }
    return e;
  }

  private static String path(Node node, String key, String fallback) {
    String p = node.string(key, fallback);
    if (!p.startsWith("/") || p.length() < 2 || p.endsWith("/") || p.contains("?")) {
      node.problems().add(node.pathOf(key), p, "expected an absolute path like " + fallback);
      return fallback;
    }
    return p;
  }
}
