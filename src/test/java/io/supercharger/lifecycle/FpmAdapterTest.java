package io.supercharger.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.config.ConfigLoader;
import io.supercharger.config.HostPort;
import io.supercharger.config.PoolConfig;
import io.supercharger.testing.PhpStack;
import io.supercharger.upstream.Instance;
import io.supercharger.upstream.InstanceStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fpm adapter and readiness check against a real php-fpm (pm = static, 2 children) whose pool
 * template sets pm.status_path = /__fpm/status and ping.path = /__fpm/ping (ping.response pong).
 */
class FpmAdapterTest {
  private PhpStack stack;
  private Vertx vertx;
  private HttpClient http;
  private Instance instance;
  private PoolConfig pool;

  @BeforeEach
  void start() throws Exception {
    stack = PhpStack.start(0, 2, 0);
    vertx = Vertx.vertx();
    http = vertx.createHttpClient();
    pool =
        ConfigLoader.parse(
                """
        pools:
          fpm:
            engine: fpm
            instances: ["%s"]
            fastcgi: {document_root: "%s", max_children: 2}
            probe: {path: /__fpm/ping, timeout_ms: 2000}
        """
                    .formatted(stack.fpm.address(), stack.fpm.documentRoot()),
                "t.yaml",
                Path.of("."),
                Map.of())
            .pool("fpm");
    instance =
        new Instance("fpm", new HostPort("127.0.0.1", stack.fpm.port()), 0, Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    stack.close();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  /**
   * Both children first serve a slow app request at the same time, so each has a "last request
   * memory". The status request then runs in one child (which prints 0 for itself while running)
   * and the other child's peak is the instance's memory. Guards the max over children and the
   * SCRIPT_NAME that FPM matches pm.status_path against.
   */
  @Test
  void statusPageGivesPeakMemoryUptimeAndMasterPid() throws Exception {
    FpmPages pages = new FpmPages(vertx, 5000, null);
    String script = stack.fpm.frontController().toString();
    List<FpmPages.Page> warm =
        await(
            Future.all(
                    pages.get(instance, script, "delay_ms=300"),
                    new FpmPages(vertx, 5000, null).get(instance, script, "delay_ms=300"))
                .map(c -> c.list()));
    // The app ran (its router answers 404 for the script path); that is all the warm-up needs.
    warm.forEach(page -> assertTrue(page.body().contains("\"method\":\"GET\""), page.body()));

    EngineAdapter adapter = EngineAdapters.forPool(vertx, pool, http, Clock.systemUTC());
    assertInstanceOf(FpmStatusAdapter.class, adapter);
    // A child sends END_REQUEST before it records its request's memory in the scoreboard, and the
    // page prints a child's memory only once it is idle again: a read right after the warm-up can
    // still see 0 everywhere. A few reads (no sleeping) see a child idle with its peak recorded.
    InstanceStats stats = await(adapter.fetch(instance));
    for (int i = 0; i < 50 && (stats.memoryBytes() == null || stats.memoryBytes() == 0); i++) {
      stats = await(adapter.fetch(instance));
    }

    assertEquals("last_request_peak", stats.memoryKind());
    assertNotNull(stats.memoryBytes());
    assertTrue(stats.memoryBytes() > 0, "some child's last request peak: " + stats.memoryBytes());
    assertNotNull(stats.uptimeSeconds());
    assertTrue(
        stats.uptimeSeconds() >= 0 && stats.uptimeSeconds() < 120,
        "uptime " + stats.uptimeSeconds());
    assertEquals(stack.fpm.pid(), stats.pid(), "the master, found as the parent of a listed child");
  }

  @Test
  void pingPassesWhileFpmRunsAndFailsOnceItIsStopped() throws Exception {
    Function<Instance, Future<Void>> check = EngineAdapters.readinessCheck(vertx, pool);
    assertInstanceOf(FpmPing.class, check);
    await(check.apply(instance));

    stack.fpm.close();
    ExecutionException refused =
        assertThrows(ExecutionException.class, () -> await(check.apply(instance)));
    assertNotNull(refused.getCause());
  }

  /** A probe path that is not FPM's ping.path runs as a script and gets FPM's 404: not ready. */
  @Test
  void pingOnAPathFpmDoesNotAnswerFails() throws Exception {
    FpmPing wrong = new FpmPing(new FpmPages(vertx, 2000, null), "/not-the-ping");
    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> await(wrong.apply(instance)));
    assertTrue(failed.getCause().getMessage().contains("404"), failed.getCause().getMessage());
  }

  @Test
  void withoutAProbePathTheGenericProbeIsKept() {
    PoolConfig noPath =
        ConfigLoader.parse(
                """
        pools:
          fpm: {engine: fpm, instances: ["127.0.0.1:9000"], fastcgi: {document_root: /srv/public}}
        """,
                "t.yaml",
                Path.of("."),
                Map.of())
            .pool("fpm");
    assertEquals(null, EngineAdapters.readinessCheck(vertx, noPath));
  }
}
