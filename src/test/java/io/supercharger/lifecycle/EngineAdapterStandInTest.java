package io.supercharger.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.config.ConfigLoader;
import io.supercharger.config.HostPort;
import io.supercharger.config.PoolConfig;
import io.supercharger.upstream.Instance;
import io.supercharger.upstream.InstanceStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RoadRunner, FrankenPHP and Swoole cannot be installed here, so each adapter reads a stand-in: a
 * real HTTP server on a free port that serves the documented endpoint with the documented payload.
 * Each payload's comment names its source.
 */
class EngineAdapterStandInTest {
  /** The stand-ins' "now": 2024-04-05T19:34:38Z. */
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochSecond(1_712_345_678), ZoneOffset.UTC);

  /*
   * RoadRunner metrics plugin, http plugin with the http_metrics middleware. Series names and help
   * strings from docs.roadrunner.dev "Metrics" (roadrunner-server/docs lab/metrics.md, "General
   * Metrics" and "HTTP Metrics") and the plugin's stats exporter (total_workers, workers_memory_bytes,
   * worker_state{state,pid}, worker_memory_bytes{pid}, workers_ready/working/invalid).
   */
  static final String ROADRUNNER =
      """
      # HELP rr_http_request_duration_seconds HTTP request duration.
      # TYPE rr_http_request_duration_seconds histogram
      rr_http_request_duration_seconds_bucket{status="200",le="0.25"} 1520
      rr_http_request_duration_seconds_bucket{status="200",le="+Inf"} 1523
      rr_http_request_duration_seconds_sum{status="200"} 31.4
      rr_http_request_duration_seconds_count{status="200"} 1523
      # HELP rr_http_request_total Total number of handled http requests after server restart.
      # TYPE rr_http_request_total counter
      rr_http_request_total{status="200"} 1523
      # HELP rr_http_requests_queue Total number of queued requests.
      # TYPE rr_http_requests_queue gauge
      rr_http_requests_queue 0
      # HELP rr_http_total_workers Total number of workers used by the plugin
      # TYPE rr_http_total_workers gauge
      rr_http_total_workers 3
      # HELP rr_http_uptime_seconds Uptime in seconds
      # TYPE rr_http_uptime_seconds counter
      rr_http_uptime_seconds 754
      # HELP rr_http_worker_memory_bytes Worker current memory usage
      # TYPE rr_http_worker_memory_bytes gauge
      rr_http_worker_memory_bytes{pid="2101"} 2.9360128e+07
      rr_http_worker_memory_bytes{pid="2102"} 4.194304e+07
      rr_http_worker_memory_bytes{pid="2103"} 3.0408704e+07
      # HELP rr_http_worker_state Worker current state
      # TYPE rr_http_worker_state gauge
      rr_http_worker_state{pid="2101",state="ready"} 0
      rr_http_worker_state{pid="2102",state="working"} 0
      rr_http_worker_state{pid="2103",state="ready"} 0
      # HELP rr_http_workers_invalid Workers currently in invalid,killing,destroyed,errored,inactive states
      # TYPE rr_http_workers_invalid gauge
      rr_http_workers_invalid 0
      # HELP rr_http_workers_memory_bytes Memory usage by workers.
      # TYPE rr_http_workers_memory_bytes gauge
      rr_http_workers_memory_bytes 1.01711872e+08
      # HELP rr_http_workers_ready Workers currently in ready state
      # TYPE rr_http_workers_ready gauge
      rr_http_workers_ready 2
      # HELP rr_http_workers_working Workers currently in working state
      # TYPE rr_http_workers_working gauge
      rr_http_workers_working 1
      """;

  /*
   * FrankenPHP through Caddy's admin /metrics: the frankenphp_* series of frankenphp.dev/docs/metrics
   * (php/frankenphp docs/metrics.md; worker label = the worker's name or file), beside the Go
   * process collector's process_* series that Caddy's registry exposes (client_golang
   * ProcessCollector: "Resident memory size in bytes.", "Start time of the process since unix epoch
   * in seconds.").
   */
  static final String FRANKENPHP =
      """
      # HELP frankenphp_busy_threads Number of busy PHP threads
      # TYPE frankenphp_busy_threads gauge
      frankenphp_busy_threads 2
      # HELP frankenphp_busy_workers Number of busy PHP workers for this worker
      # TYPE frankenphp_busy_workers gauge
      frankenphp_busy_workers{worker="/app/public/index.php"} 1
      # HELP frankenphp_queue_depth Number of regular queued requests
      # TYPE frankenphp_queue_depth gauge
      frankenphp_queue_depth 0
      # HELP frankenphp_ready_workers Running workers that have successfully called frankenphp_handle_request at least once
      # TYPE frankenphp_ready_workers gauge
      frankenphp_ready_workers{worker="/app/public/index.php"} 4
      # HELP frankenphp_total_threads Total number of PHP threads
      # TYPE frankenphp_total_threads counter
      frankenphp_total_threads 8
      # HELP frankenphp_total_workers Total number of PHP workers for this worker
      # TYPE frankenphp_total_workers gauge
      frankenphp_total_workers{worker="/app/public/index.php"} 4
      # HELP frankenphp_worker_request_count
      # TYPE frankenphp_worker_request_count counter
      frankenphp_worker_request_count{worker="/app/public/index.php"} 8812
      # HELP frankenphp_worker_restarts Number of PHP worker restarts for this worker
      # TYPE frankenphp_worker_restarts counter
      frankenphp_worker_restarts{worker="/app/public/index.php"} 0
      # HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.
      # TYPE process_cpu_seconds_total counter
      process_cpu_seconds_total 12.34
      # HELP process_resident_memory_bytes Resident memory size in bytes.
      # TYPE process_resident_memory_bytes gauge
      process_resident_memory_bytes 1.88743680e+08
      # HELP process_start_time_seconds Start time of the process since unix epoch in seconds.
      # TYPE process_start_time_seconds gauge
      process_start_time_seconds 1.71234e+09
      """;

  /*
   * Swoole: the JSON of $server->stats() with the fields of swoole-wiki "Server->stats" (start_time,
   * connection_num, accept_count, close_count, tasking_num, request_count, worker_request_count,
   * worker_dispatch_count, coroutine_num; php.net Swoole\Server::stats), plus the two fields a
   * handler adds for the gateway: master_pid ($server->master_pid) and memory_bytes.
   */
  static final String SWOOLE =
      """
      {"start_time":1712345000,"connection_num":3,"accept_count":120,"close_count":117,"tasking_num":0,
       "request_count":4410,"worker_request_count":1102,"worker_dispatch_count":1102,"coroutine_num":2,
       "master_pid":4242,"memory_bytes":50331648}
      """;

  private Vertx vertx;
  private HttpClient http;
  private HttpServer standIn;
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private volatile String body;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    http = vertx.createHttpClient();
    standIn =
        await(
            vertx
                .createHttpServer()
                .requestHandler(
                    req -> {
                      paths.add(req.uri());
                      req.response()
                          .putHeader(
                              "Content-Type",
                              body.startsWith("{")
                                  ? "application/json"
                                  : "text/plain; version=0.0.4; charset=utf-8")
                          .end(body);
                    })
                .listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A pool of that engine whose stats URL points at the stand-in, and one instance of it. */
  private InstanceStats fetch(String engine, String path, String payload) throws Exception {
    body = payload;
    PoolConfig pool =
        ConfigLoader.parse(
                """
        pools:
          p: {engine: %s, instances: ["127.0.0.1:8081"], stats: {url: "http://{host}:%d%s"}}
        """
                    .formatted(engine, standIn.actualPort(), path),
                "t.yaml",
                Path.of("."),
                Map.of())
            .pool("p");
    EngineAdapter adapter = EngineAdapters.forPool(vertx, pool, http, CLOCK);
    Instance instance = new Instance("p", new HostPort("127.0.0.1", 8081), 0, CLOCK);
    return await(adapter.fetch(instance));
  }

  @Test
  void roadRunnerMemoryIsTheLargestWorkerAndUptimeThePlugins() throws Exception {
    InstanceStats stats = fetch("roadrunner", "/metrics", ROADRUNNER);
    assertEquals(
        41_943_040L, stats.memoryBytes(), "the largest of the three workers, not their sum");
    assertEquals("rss_max_worker", stats.memoryKind());
    assertEquals(754.0, stats.uptimeSeconds());
    assertNull(stats.pid());
    assertEquals(List.of("/metrics"), paths);
  }

  /** Without per-worker series (and without http_metrics) the total is all there is: say so. */
  @Test
  void roadRunnerWithoutPerWorkerSeriesReportsTheTotal() throws Exception {
    String totalsOnly =
        ROADRUNNER
            .lines()
            .filter(
                l ->
                    !l.contains("rr_http_worker_memory_bytes")
                        && !l.contains("rr_http_uptime_seconds"))
            .reduce("", (a, b) -> a + b + "\n");
    InstanceStats stats = fetch("roadrunner", "/metrics", totalsOnly);
    assertEquals(101_711_872L, stats.memoryBytes());
    assertEquals("rss_all_workers", stats.memoryKind());
    assertNull(stats.uptimeSeconds());
  }

  @Test
  void frankenPhpMemoryIsTheProcessRssBesideItsMetrics() throws Exception {
    InstanceStats stats = fetch("frankenphp", "/metrics", FRANKENPHP);
    assertEquals(188_743_680L, stats.memoryBytes());
    assertEquals("rss", stats.memoryKind());
    assertEquals(1_712_345_678.0 - 1_712_340_000.0, stats.uptimeSeconds());
  }

  /** Some other exporter at that URL: its RSS is not FrankenPHP's, so the reading is refused. */
  @Test
  void frankenPhpRefusesMetricsWithoutFrankenphpSeries() {
    String processOnly =
        "process_resident_memory_bytes 1e+08\nprocess_start_time_seconds 1.7e+09\n";
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> fetch("frankenphp", "/metrics", processOnly));
    assertTrue(e.getCause().getMessage().contains("frankenphp_"), e.getCause().getMessage());
  }

  @Test
  void swooleStatsGiveUptimeMasterPidAndReportedMemory() throws Exception {
    InstanceStats stats = fetch("swoole", "/__swoole/stats", SWOOLE);
    assertEquals(678.0, stats.uptimeSeconds());
    assertEquals(4242L, stats.pid());
    assertEquals(50_331_648L, stats.memoryBytes());
    assertEquals("reported", stats.memoryKind());
    assertEquals(List.of("/__swoole/stats"), paths);
  }

  @Test
  void swooleStatsWithoutStartTimeAreRefused() {
    assertThrows(ExecutionException.class, () -> fetch("swoole", "/s", "{\"connection_num\":1}"));
  }

  @Test
  void aStatsUrlThatRefusesFailsTheFetch() {
    standIn.close();
    assertThrows(ExecutionException.class, () -> fetch("roadrunner", "/metrics", ROADRUNNER));
  }

  /** Swoole has no stats endpoint of its own: without a configured URL there is nothing to read. */
  @Test
  void swooleWithoutAStatsUrlReportsNothing() {
    PoolConfig pool =
        ConfigLoader.parse(
                """
        pools:
          p: {engine: swoole, instances: ["127.0.0.1:8081"]}
        """,
                "t.yaml",
                Path.of("."),
                Map.of())
            .pool("p");
    assertSame(EngineAdapter.NONE, EngineAdapters.forPool(vertx, pool, http, CLOCK));
  }

  /**
   * Each engine has a default stats source, so none falls back to reporting nothing. That each
   * reads its own format is shown by the stand-in tests above, which fetch through the same
   * EngineAdapters.forPool with the engine's documented payload.
   */
  @Test
  void eachEngineGetsItsAdapter() {
    for (String engine : List.of("roadrunner", "frankenphp", "php-worker")) {
      PoolConfig pool =
          ConfigLoader.parse(
                  "pools:\n  p: {engine: " + engine + ", instances: [\"127.0.0.1:8081\"]}\n",
                  "t.yaml",
                  Path.of("."),
                  Map.of())
              .pool("p");
      assertNotSame(EngineAdapter.NONE, EngineAdapters.forPool(vertx, pool, http, CLOCK), engine);
    }
  }
}
