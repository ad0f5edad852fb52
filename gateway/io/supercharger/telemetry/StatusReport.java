package io.supercharger.telemetry;

import io.supercharger.config.GatewayConfig;
import io.supercharger.config.LifecycleConfig;
import io.supercharger.lifecycle.PoolLifecycle;
import io.supercharger.split.Splitter;
import io.supercharger.upstream.Instance;
import io.supercharger.upstream.InstanceStats;
import io.supercharger.upstream.Pool;
import io.supercharger.upstream.RecycleReason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** Builds the /status document (schema in ARCHITECTURE.md; fields are added, never renamed). */
public final class StatusReport {
  private final BuildInfo build;
  private final GatewayConfig config;
  private final List<Pool> pools;
  private final Splitter splitter;
  private final Function<String, PoolLifecycle> lifecycles;
  private final Supplier<JsonObject> canary;
  private final Clock clock;
  private final Instant startedAt;

  public StatusReport(
      BuildInfo build,
      GatewayConfig config,
      List<Pool> pools,
      Splitter splitter,
      Function<String, PoolLifecycle> lifecycles,
      Supplier<JsonObject> canary,
      Clock clock) {
    this.build = build;
    this.config = config;
    this.pools = pools;
    this.splitter = splitter;
    this.lifecycles = lifecycles;
    this.canary = canary;
    this.clock = clock;
    this.startedAt = clock.instant();
  }

  private static JsonObject instance(Instance i) {
    InstanceStats stats = i.stats();
    JsonObject recycles = new JsonObject();
    for (RecycleReason reason : RecycleReason.values()) {
      if (i.recycles(reason) > 0) {
        recycles.put(reason.label(), i.recycles(reason));
      }
    }
    return new JsonObject()
        .put("address", i.address().toString())
        .put("state", i.state().name())
        .put("in_flight", i.inFlight())
        .put("requests_total", i.requestsTotal())
        .put("requests_since_ready", i.requestsSinceReady())
        .put("ready_since", text(i.readySince()))
        .put("memory_bytes", stats.memoryBytes())
        .put("memory_kind", stats.memoryKind())
        .put("uptime_seconds", stats.uptimeSeconds())
        .put("pid", stats.pid())
        .put("recycles", recycles)
        .put("last_recycle_at", text(i.lastRecycleAt()))
        .put("last_drain_seconds", i.lastDrainSeconds())
        .put(
            "resets",
            stats.resets() == null
                ? null
                : new JsonObject(new java.util.LinkedHashMap<>(stats.resets())));
  }

  private JsonObject lifecycle(Pool pool) {
    PoolLifecycle lifecycle = lifecycles.apply(pool.name());
    if (lifecycle == null) {
      return new JsonObject().put("active", false);
    }
    LifecycleConfig c = lifecycle.config();
    return new JsonObject()
        .put("active", true)
        .put("max_request", c.maxRequest())
        .put("max_memory_mb", c.maxMemoryMb())
        .put("max_uptime_second", c.maxUptimeSecond())
        .put("drain_second", c.drainSecond())
        .put("jitter_percent", c.jitterPercent())
        .put("max_unavailable", c.maxUnavailable())
        .put("min_recycle_interval_second", c.minRecycleIntervalSecond())
        .put("max_recycles_per_minute", c.maxRecyclesPerMinute())
        .put("recycle_action", pool.config().recycle().action())
        .put("unavailable", lifecycle.unavailable())
        .put("auto_recycle_paused", lifecycle.paused())
        .put("paused_until", lifecycle.paused() ? text(lifecycle.pausedUntil()) : null);
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  public JsonObject render() {
    Instant now = clock.instant();
    JsonObject poolsJson = new JsonObject();
    for (Pool pool : pools) {
      JsonArray instances = new JsonArray();
      for (Instance i : pool.instances()) {
        instances.add(instance(i));
      }
      poolsJson.put(
          pool.name(),
          new JsonObject()
              .put("engine", pool.config().engine())
              .put("protocol", pool.config().protocol())
              .put("weight", splitter.snapshot().weights().getOrDefault(pool.name(), 0))
              .put("waiting", pool.waiting())
              .put("circuit", pool.breaker().getState().name().toLowerCase())
              .put("lifecycle", lifecycle(pool))
              .put("instances", instances));
    }
    LifecycleConfig lc = config.lifecycle();
    return new JsonObject()
        .put(
            "build",
            new JsonObject()
                .put("version", build.version())
                .put("commit", build.commit())
                .put("built_at", build.builtAt()))
        .put(
            "java",
            new JsonObject()
                .put("version", System.getProperty("java.version"))
                .put("vm", System.getProperty("java.vm.name")))
        .put("started_at", startedAt.toString())
        .put("uptime_seconds", Duration.between(startedAt, now).toMillis() / 1000.0)
        .put("pools", poolsJson)
        .put(
            "split",
            new JsonObject()
                .put("sticky", config.split().sticky())
                .put(
                    "weights",
                    new JsonObject(new java.util.LinkedHashMap<>(splitter.snapshot().weights()))))
        .put("canary", canary != null ? canary.get() : new JsonObject().put("configured", false))
        .put(
            "lifecycle",
            new JsonObject()
                .put("enabled", lc.enabled())
                .put("max_request", lc.maxRequest())
                .put("max_memory_mb", lc.maxMemoryMb())
                .put("max_uptime_second", lc.maxUptimeSecond())
                .put("drain_second", lc.drainSecond()));
  }
}
