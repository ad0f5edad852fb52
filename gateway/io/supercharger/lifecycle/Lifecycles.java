package io.supercharger.lifecycle;

import io.supercharger.config.PoolConfig;
import io.supercharger.upstream.Pool;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lifecycle of every pool: stats polling for all, recycling for those whose config is active.
 */
public final class Lifecycles {
  static final long TICK_MS = 100;

  private final Vertx vertx;
  private final HttpClient http;
  private final Map<String, PoolLifecycle> byPool = new LinkedHashMap<>();
  private final long timer;

  private Lifecycles(Vertx vertx, List<Pool> pools, Clock clock, LifecycleEvents events) {
    this.vertx = vertx;
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    StatsPoller poller = new StatsPoller(vertx);
    for (Pool pool : pools) {
      PoolConfig config = pool.config();
      EngineAdapter adapter = EngineAdapters.forPool(vertx, config, http, clock);
      poller.watch(pool, adapter);
      if (config.lifecycleActive()) {
        PoolLifecycle lifecycle =
            new PoolLifecycle(
                pool,
                config.lifecycle(),
                RecycleActions.create(vertx, config.recycle(), http, adapter),
                clock,
                events);
        byPool.put(pool.name(), lifecycle);
        pool.recycler(lifecycle::requestRecycle);
      }
    }
    this.timer = vertx.setPeriodic(TICK_MS, id -> byPool.values().forEach(PoolLifecycle::tick));
  }

  public static Lifecycles start(
      Vertx vertx, List<Pool> pools, Clock clock, LifecycleEvents events) {
    return new Lifecycles(vertx, pools, clock, events);
  }

  /** The pool's lifecycle, or null when lifecycle does not apply to it. */
  public PoolLifecycle of(String pool) {
    return byPool.get(pool);
  }

  public void stop() {
    vertx.cancelTimer(timer);
    http.close();
  }
}
