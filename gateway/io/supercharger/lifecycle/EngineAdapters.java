package io.supercharger.lifecycle;

import io.supercharger.config.PoolConfig;
import io.supercharger.telemetry.PrometheusText;
import io.supercharger.upstream.Instance;
import io.supercharger.upstream.InstanceStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Picks the adapter for a pool's engine. Engines without a stats URL report no stats. Each
 * adapter's class comment names the endpoint it reads and the document that describes it.
 */
public final class EngineAdapters {
  private static final Logger LOG = Logger.getLogger(EngineAdapters.class.getName());

  private EngineAdapters() {}

  /**
   * A readiness check the engine needs instead of the generic TCP or HTTP probe; null to use the
   * generic one. Today: an fpm pool with a probe path is checked by FPM's ping.path over FastCGI
   * (without a path, a TCP connect). RoadRunner's status plugin /ready listens on its own address,
   * not the instance's, so roadrunner pools keep the generic probe (see {@link RoadRunnerAdapter}).
   */
  public static Function<Instance, Future<Void>> readinessCheck(Vertx vertx, PoolConfig pool) {
    if ("fpm".equals(pool.engine()) && pool.isFastCgi() && pool.probe().path() != null) {
      return new FpmPing(new FpmPages(vertx, pool.probe().timeoutMs(), null), pool.probe().path());
    }
    return null;
  }

  /** Engines whose stats are one HTTP GET: the adapters differ only in how they read the body. */
  private static EngineAdapter overHttp(
      HttpClient http, String url, int timeoutMs, Function<Buffer, InstanceStats> parse) {
    return instance -> StatsHttp.get(http, url, instance, timeoutMs).map(parse);
  }

  public static EngineAdapter forPool(Vertx vertx, PoolConfig pool, HttpClient http, Clock clock) {
    String url = pool.stats().url();
    if (url.isEmpty()) {
      return EngineAdapter.NONE;
    }
    int timeoutMs = pool.probe().timeoutMs();
    return switch (pool.engine()) {
      case "php-worker" ->
          overHttp(http, url, timeoutMs, body -> PhpWorkerAdapter.parse(new JsonObject(body)));
      case "roadrunner" ->
          overHttp(
              http,
              url,
              timeoutMs,
              body -> RoadRunnerAdapter.parse(PrometheusText.parse(body.toString())));
      case "frankenphp" ->
          overHttp(
              http,
              url,
              timeoutMs,
              body ->
                  FrankenPhpAdapter.parse(
                      PrometheusText.parse(body.toString()), clock.millis() / 1000.0));
      case "swoole" ->
          overHttp(
              http,
              url,
              timeoutMs,
              body -> SwooleAdapter.parse(new JsonObject(body), clock.millis() / 1000.0));
      case "fpm" -> fpm(vertx, pool, url, timeoutMs);
      default -> EngineAdapter.NONE;
    };
  }

  /** FPM's status page is reached over FastCGI, so its "URL" is the pm.status_path itself. */
  private static EngineAdapter fpm(Vertx vertx, PoolConfig pool, String url, int timeoutMs) {
    if (!url.startsWith("/") || url.contains("?")) {
      LOG.warning(
          "pools."
              + pool.name()
              + ".stats.url: "
              + url
              + " (expected FPM's pm.status_path, e.g. /__fpm/status; it is fetched over FastCGI): no stats");
      return EngineAdapter.NONE;
    }
    return new FpmStatusAdapter(new FpmPages(vertx, timeoutMs, null), url);
  }
}
