package io.supercharger.telemetry;

import io.supercharger.config.GatewayConfig;
import io.supercharger.config.LifecycleConfig;
import io.supercharger.split.Splitter;
import io.supercharger.upstream.Instance;
import io.supercharger.upstream.Pool;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Builds the /status document (schema in ARCHITECTURE.md; fields are added, never renamed). */
public final class StatusReport {
  private final BuildInfo build;
  private final GatewayConfig config;
  private final List<Pool> pools;
  private final Splitter splitter;
  private final Clock clock;
  private final Instant startedAt;

  public StatusReport(BuildInfo build, GatewayConfig config, List<Pool> pools, Splitter splitter, Clock clock) {
    this.build = build;
    this.config = config;
    this.pools = pools;
    this.splitter = splitter;
    this.clock = clock;
    this.startedAt = clock.instant();
  }

  public JsonObject render() {
    Instant now = clock.instant();
    JsonObject poolsJson = new JsonObject();
    for (Pool pool : pools) {
      JsonArray instances = new JsonArray();
      for (Instance i : pool.instances()) {
        instances.add(new JsonObject()
            .put("address", i.address().toString())
            .put("state", i.state().name())
            .put("in_flight", i.inFlight())
            .put("requests_total", i.requestsTotal())
            .put("requests_since_ready", i.requestsSinceReady())
            .put("ready_since", i.readySince() == null ? null : i.readySince().toString())
            .put("memory_bytes", null)
            .put("uptime_seconds", null)
            .put("recycles", new JsonObject())
            .put("resets", null));
      }
      poolsJson.put(pool.name(), new JsonObject()
          .put("engine", pool.config().engine())
          .put("protocol", pool.config().protocol())
          .put("weight", splitter.snapshot().weights().getOrDefault(pool.name(), 0))
          .put("waiting", pool.waiting())
          .put("instances", instances));
    }
    LifecycleConfig lc = config.lifecycle();
    return new JsonObject()
        .put("build", new JsonObject().put("version", build.version()).put("commit", build.commit())
            .put("built_at", build.builtAt()))
        .put("java", new JsonObject().put("version", System.getProperty("java.version"))
            .put("vm", System.getProperty("java.vm.name")))
        .put("started_at", startedAt.toString())
        .put("uptime_seconds", Duration.between(startedAt, now).toMillis() / 1000.0)
        .put("pools", poolsJson)
        .put("split", new JsonObject().put("sticky", config.split().sticky())
            .put("weights", new JsonObject(new java.util.LinkedHashMap<>(splitter.snapshot().weights()))))
        .put("canary", new JsonObject().put("configured", config.canary() != null).put("active", false))
        .put("lifecycle", new JsonObject().put("enabled", lc.enabled()).put("max_request", lc.maxRequest())
            .put("max_memory_mb", lc.maxMemoryMb()).put("max_uptime_second", lc.maxUptimeSecond())
            .put("drain_second", lc.drainSecond()));
  }
}
