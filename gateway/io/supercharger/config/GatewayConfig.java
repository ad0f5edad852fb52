package io.supercharger.config;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The whole gateway configuration: immutable, validated once at load. */
public record GatewayConfig(
    Listen listen,
    Endpoints endpoints,
    SecurityConfig security,
    Map<String, PoolConfig> pools,
    Timeouts timeouts,
    Limits limits,
    SplitConfig split,
    List<RouteConfig> routes,
    AccessLogConfig accessLog,
    LifecycleConfig lifecycle,
    CanaryConfig canary,
    FlightRecorderConfig flightRecorder,
    String source) {

  static final Timeouts DEFAULT_TIMEOUTS = new Timeouts(1000, 30_000, 60_000, 10_000, 30_000);

  public PoolConfig pool(String name) {
    return pools.get(name);
  }

  /** Returns a copy listening on another port (the CLI's --port). */
  public GatewayConfig withPort(int port) {
    return new GatewayConfig(
        new Listen(listen.host(), port, listen.h2c()),
        endpoints,
        security,
        pools,
        timeouts,
        limits,
        split,
        routes,
        accessLog,
        lifecycle,
        canary,
        flightRecorder,
        source);
  }

  static GatewayConfig read(Node root, ConfigPaths paths, String envToken, String source) {
    Listen listen = Listen.read(root.child("listen"));
    Endpoints endpoints = Endpoints.read(root.child("endpoints"));
    SecurityConfig security = SecurityConfig.read(root.child("security"), paths, envToken);
    Timeouts timeouts = Timeouts.read(root.child("timeouts"), DEFAULT_TIMEOUTS);
    Limits limits = Limits.read(root.child("limits"));
    LifecycleConfig lifecycle =
        LifecycleConfig.read(root.child("lifecycle"), LifecycleConfig.BUILT_IN);
    Map<String, PoolConfig> pools = pools(root, timeouts, lifecycle, paths);
    SplitConfig split = SplitConfig.read(root.child("split"), pools);
    // Checked per item so the path carries the route's own index, even after a skipped entry.
    Set<String> names = new HashSet<>();
    List<RouteConfig> routes =
        root.list(
            "routes",
            node -> {
              RouteConfig route = RouteConfig.read(node, pools);
              if (route != null && !names.add(route.name())) {
                node.problems().add(node.pathOf("name"), route.name(), "used by another route");
              }
              return route;
            });
    AccessLogConfig accessLog = AccessLogConfig.read(root.child("access_log"), paths);
    for (PoolConfig pool : pools.values()) {
      if (pool.fallback() != null
          && (!pools.containsKey(pool.fallback()) || pool.fallback().equals(pool.name()))) {
        root.problems()
            .add(
                "pools." + pool.name() + ".fallback",
                pool.fallback(),
                "expected another pool's name");
      }
    }
    CanaryConfig canary =
        root.has("canary") ? CanaryConfig.read(root.child("canary"), pools, paths) : null;
    FlightRecorderConfig flightRecorder =
        FlightRecorderConfig.read(root.child("flight_recorder"), paths);
    root.rejectUnknownKeys();
    return new GatewayConfig(
        listen,
        endpoints,
        security,
        pools,
        timeouts,
        limits,
        split,
        routes,
        accessLog,
        lifecycle,
        canary,
        flightRecorder,
        source);
  }

  private static Map<String, PoolConfig> pools(
      Node root, Timeouts timeouts, LifecycleConfig lifecycle, ConfigPaths paths) {
    Node poolsNode = root.child("pools");
    LinkedHashMap<String, PoolConfig> pools = new LinkedHashMap<>();
    for (String name : poolsNode.keys()) {
      pools.put(name, PoolConfig.read(name, poolsNode.child(name), timeouts, lifecycle, paths));
    }
    if (pools.isEmpty()) {
      root.problems().add("pools: at least one pool is required");
    }
    return Collections.unmodifiableMap(pools);
  }
}
