package io.supercharger.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.supercharger.upstream.FailureKind;
import io.supercharger.upstream.Instance;
import io.supercharger.upstream.InstanceState;
import io.supercharger.upstream.Pool;
import io.supercharger.upstream.RecycleReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * The gateway's meters. Every per-request handle is created up front, indexed by route, pool and
 * status class, so recording a request is array lookups and no map or tag allocation.
 */
public final class GatewayMetrics {
  /** The status classes of the {@code status} label; index 0 is a client that went away. */
  static final String[] STATUS = {"aborted", "1xx", "2xx", "3xx", "4xx", "5xx"};

  static final Duration[] SLO_BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(700),
    Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final int poolSlots;

  /** Created on first use, so label combinations that never happen export no series. */
  private final Timer[] durations;

  private final List<String[]> routeLabels;
  private final String[] poolNames;
  private final Counter[] upstreamErrors;

  /**
   * @param routes route names and classes in route-table order
   * @param pools the pools; requests that never reached a pool are recorded with pool "none"
   */
  public GatewayMetrics(List<String[]> routes, List<Pool> pools, ToIntFunction<String> weightOf) {
    this.poolSlots = pools.size() + 1;
    this.durations = new Timer[routes.size() * poolSlots * STATUS.length];
    this.routeLabels = routes;
    this.poolNames = new String[poolSlots];
    for (int p = 0; p < poolSlots; p++) {
      poolNames[p] = p < pools.size() ? pools.get(p).name() : "none";
    }
    FailureKind[] kinds = FailureKind.values();
    this.upstreamErrors = new Counter[pools.size() * kinds.length];
    for (Pool pool : pools) {
      for (FailureKind kind : kinds) {
        if (!kind.isUpstreamError()) {
          continue;
        }
        upstreamErrors[pool.index() * kinds.length + kind.ordinal()] =
            Counter.builder("gateway.upstream.errors")
                .description("Failed upstream attempts by kind")
                .tags("pool", pool.name(), "kind", kind.label())
                .register(registry);
      }
      Gauge.builder(
              "gateway.pool.circuit.open",
              pool,
              p ->
                  p.breaker().getState()
                          == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN
                      ? 1
                      : 0)
          .description(
              "1 while the pool's circuit breaker is open (its traffic goes to its baseline or fallback)")
          .tags("pool", pool.name())
          .register(registry);
      Gauge.builder("gateway.pool.weight", () -> weightOf.applyAsInt(pool.name()))
          .description("Percent of traffic the split sends to the pool")
          .tags("pool", pool.name())
          .register(registry);
      for (Instance instance : pool.instances()) {
        String id = instance.address().toString();
        Gauge.builder("gateway.instance.in_flight", instance, Instance::inFlight)
            .tags("pool", pool.name(), "instance", id)
            .register(registry);
        for (InstanceState state : InstanceState.values()) {
          Gauge.builder("gateway.instance.state", instance, i -> i.state() == state ? 1 : 0)
              .tags("pool", pool.name(), "instance", id, "state", state.name())
              .register(registry);
        }
      }
    }
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /**
   * @param poolIndex the pool, or -1 when the request never reached one
   */
  public void recordRequest(
      int routeIndex, int poolIndex, int status, boolean aborted, long nanos) {
    int p = poolIndex < 0 ? poolSlots - 1 : poolIndex;
    int s = aborted ? 0 : Math.min(5, Math.max(1, status / 100));
    int slot = (routeIndex * poolSlots + p) * STATUS.length + s;
    Timer timer = durations[slot];
    if (timer == null) {
      // The registry returns the same meter to racing loops; the array is only a cache.
      timer =
          Timer.builder("gateway.request.duration")
              .description(
                  "Time from request to the end of the response, per route, pool and status class")
              .tags(
                  "route",
                  routeLabels.get(routeIndex)[0],
                  "class",
                  routeLabels.get(routeIndex)[1],
                  "pool",
                  poolNames[p],
                  "status",
                  STATUS[s])
              .serviceLevelObjectives(SLO_BUCKETS)
              .register(registry);
      durations[slot] = timer;
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Counts a failed attempt; the gateway's own refusals (UNAVAILABLE) are not upstream errors. */
  public void upstreamError(int poolIndex, FailureKind kind) {
    if (!kind.isUpstreamError()) {
      return;
    }
    upstreamErrors[poolIndex * FailureKind.values().length + kind.ordinal()].increment();
  }

  /** Pre-registers the lifecycle meters of a pool, so "never recycled" reads as 0, not absent. */
  public void lifecyclePool(String pool, java.util.function.BooleanSupplier paused) {
    for (RecycleReason reason : RecycleReason.values()) {
      recycles(pool, reason);
    }
    drainDuration(pool);
    overruns(pool);
    Gauge.builder("gateway.lifecycle.paused", () -> paused.getAsBoolean() ? 1 : 0)
        .description("1 while automatic recycling is paused because the pool thrashed")
        .tags("pool", pool)
        .register(registry);
  }

  public void recycled(String pool, RecycleReason reason, double drainSeconds, int overruns) {
    recycles(pool, reason).increment();
    drainDuration(pool).record(Duration.ofMillis(Math.round(drainSeconds * 1000)));
    if (overruns > 0) {
      overruns(pool).increment(overruns);
    }
  }

  private Counter recycles(String pool, RecycleReason reason) {
    return Counter.builder("gateway.recycles")
        .description("Instance recycles by reason")
        .tags("pool", pool, "reason", reason.label())
        .register(registry);
  }

  private Timer drainDuration(String pool) {
    return Timer.builder("gateway.drain.duration")
        .description("From drain start to recycle")
        .tags("pool", pool)
        .serviceLevelObjectives(SLO_BUCKETS)
        .register(registry);
  }

  private Counter overruns(String pool) {
    return Counter.builder("gateway.drain.overrun")
        .description("Requests still running when drain_second ran out")
        .tags("pool", pool)
        .register(registry);
  }

  /** Access-log lines dropped because the writer fell behind (the event loops never wait for it). */
  public void accessLogDrops(java.util.function.LongSupplier dropped) {
    io.micrometer.core.instrument.FunctionCounter.builder(
            "gateway.access.log.dropped", dropped, d -> d.getAsLong())
        .description("Access-log lines dropped because the writer fell behind")
        .register(registry);
  }

  public void denied(String endpoint, String reason) {
    registry.counter("gateway.endpoint.denied", "endpoint", endpoint, "reason", reason).increment();
  }

  public String scrape() {
    return registry.scrape();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }
}
