package io.supercharger.lifecycle;

import io.supercharger.config.PoolConfig;
import io.vertx.core.http.HttpClient;

/** Picks the adapter for a pool's engine. Engines without one report no stats. */
public final class EngineAdapters {
  private EngineAdapters() {}

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
