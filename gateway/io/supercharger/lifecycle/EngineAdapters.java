package io.supercharger.lifecycle;

import io.supercharger.config.PoolConfig;
import io.supercharger.upstream.Instance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.util.function.Function;

/** Picks the adapter for a pool's engine. Engines without one report no stats. */
public final class EngineAdapters {
  private EngineAdapters() {}

  /**
   * A readiness check the engine needs instead of the generic TCP or HTTP probe (e.g. FPM's
   * ping.path over FastCGI); null to use the generic one.
   */
  public static Function<Instance, Future<Void>> readinessCheck(Vertx vertx, PoolConfig pool) {
    return null;
  }

  public static EngineAdapter forPool(PoolConfig pool, HttpClient http) {
    String url = pool.stats().url();
    if (url.isEmpty()) {
      return EngineAdapter.NONE;
    }
    return switch (pool.engine()) {
      case "php-worker" -> new PhpWorkerAdapter(http, url, pool.probe().timeoutMs());
      default -> EngineAdapter.NONE;
    };
  }
}
