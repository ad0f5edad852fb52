package io.supercharger.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One upstream pool. {@code maxInFlight} caps concurrent requests per instance (0 = no cap); above
 * it requests wait up to {@code queueTimeoutMs} in a queue of at most {@code maxQueue}, then 503.
 */
public record PoolConfig(
    String name,
    String engine,
    String protocol,
    List<HostPort> instances,
    FastCgiConfig fastcgi,
    Timeouts timeouts,
    int maxInFlight,
    int queueTimeoutMs,
    int maxQueue,
    ProbeConfig probe,
    LifecycleConfig lifecycle,
    RecycleConfig recycle,
    String recycleHeader,
    String fallback,
    StatsConfig stats) {

  static final List<String> ENGINES =
      List.of("roadrunner", "frankenphp", "swoole", "php-worker", "fpm");
  static final List<String> PROTOCOLS = List.of("http", "fastcgi");

  public boolean isFastCgi() {
    return "fastcgi".equals(protocol);
  }

  /**
   * Lifecycle applies when enabled and the pool can recycle (with no trigger set, only manual and
   * self-signalled recycles happen). FPM renews its own children (pm.max_requests), so an fpm pool
   * takes part only when it names a recycle action.
   */
  public boolean lifecycleActive() {
    return lifecycle.enabled() && recycle != null;
  }

  static PoolConfig read(
      String name,
      Node node,
      Timeouts defaults,
      LifecycleConfig lifecycleDefaults,
      ConfigPaths paths) {
    if (!name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
      node.problems().add(node.path(), name, "pool names use a-z, 0-9, _ and -");
    }
    String engine = node.oneOf("engine", null, ENGINES);
    if (engine == null) {
      if (!node.has("engine")) {
        node.problems()
            .add(node.pathOf("engine") + ": required (" + String.join("|", ENGINES) + ")");
      }
      engine = "php-worker";
    }
    String protocol = node.oneOf("protocol", "fpm".equals(engine) ? "fastcgi" : "http", PROTOCOLS);
    if ("fpm".equals(engine) != "fastcgi".equals(protocol)) {
      node.problems()
          .add(
              node.pathOf("protocol"),
              protocol,
              "fpm".equals(engine)
                  ? "engine fpm speaks fastcgi"
                  : "engine " + engine + " speaks http");
    }
    List<HostPort> instances = instances(node);
    FastCgiConfig fastcgi = null;
    if ("fastcgi".equals(protocol)) {
      fastcgi = FastCgiConfig.read(node.child("fastcgi"), paths);
    } else if (node.has("fastcgi")) {
      node.problems().add(node.pathOf("fastcgi") + ": only for protocol fastcgi");
      node.raw("fastcgi");
    }
    Timeouts timeouts = Timeouts.read(node.child("timeouts"), defaults);
    int defaultCap = fastcgi != null ? fastcgi.maxChildren() : "php-worker".equals(engine) ? 1 : 0;
    int maxInFlight = node.integer("max_in_flight", defaultCap, 0, 1_000_000);
    int queueTimeoutMs = node.integer("queue_timeout_ms", 1000, 0, Timeouts.MAX_MS);
    int maxQueue = node.integer("max_queue", 1024, 0, 1_000_000);
    ProbeConfig probe = ProbeConfig.read(node.child("probe"));
    LifecycleConfig lifecycle = LifecycleConfig.read(node.child("lifecycle"), lifecycleDefaults);
    RecycleConfig recycle =
        node.has("recycle")
            ? RecycleConfig.read(node.child("recycle"), paths)
            : EngineDefaults.recycle(engine);
    String recycleHeader = node.string("recycle_header", "X-Runtime-Recycle");
    String fallback = node.string("fallback", null);
    StatsConfig stats = StatsConfig.read(node.child("stats"), EngineDefaults.statsUrl(engine));
    node.rejectUnknownKeys();
    return new PoolConfig(
        name,
        engine,
        protocol,
        instances,
        fastcgi,
        timeouts,
        maxInFlight,
        queueTimeoutMs,
        maxQueue,
        probe,
        lifecycle,
        recycle,
        recycleHeader,
        fallback,
        stats);
  }

  private static List<HostPort> instances(Node node) {
    List<String> raw = node.strings("instances", List.of());
    if (raw.isEmpty()) {
      node.problems().add(node.pathOf("instances") + ": at least one host:port is required");
    }
    List<HostPort> out = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      HostPort hp = HostPort.parse(raw.get(i));
      if (hp == null) {
        node.problems()
            .add(
                node.pathOf("instances") + "[" + i + "]",
                raw.get(i),
                "expected host:port, like 127.0.0.1:9000 or [::1]:9000");
      } else if (out.contains(hp)) {
        node.problems().add(node.pathOf("instances") + "[" + i + "]", raw.get(i), "listed twice");
      } else {
        out.add(hp);
      }
    }
    return List.copyOf(out);
  }
}
