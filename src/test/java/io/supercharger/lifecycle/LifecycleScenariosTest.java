package io.supercharger.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.demo.FreePort;
import io.supercharger.demo.SupervisedWorker;
import io.supercharger.testing.MisbehavingServer;
import io.supercharger.testing.PhpStack;
import io.supercharger.testing.TestGateway;
import io.supercharger.upstream.Instance;
import io.supercharger.upstream.InstanceState;
import io.supercharger.upstream.RecycleReason;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The other triggers and paths of the lifecycle, each against real processes. */
class LifecycleScenariosTest {
  static final String TOKEN = "admin-token-for-tests";

  private static void await(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      LockSupport.parkNanos(20_000_000);
    }
  }

  private static TestGateway workerGateway(SupervisedWorker worker, String lifecycle)
      throws Exception {
    return TestGateway.start(
        """
        security: {mode: allowlist_or_token}
        pools:
          worker:
            engine: php-worker
            instances: ["%s"]
            queue_timeout_ms: 10000
            probe: {interval_ms: 50}
            stats: {interval_ms: 100}
            lifecycle: %s
        """
            .formatted(worker.address(), lifecycle),
        Map.of("RUNTIME_ENDPOINT_SECURITY_TOKEN", TOKEN));
  }

  @Test
  void memoryGrowthReportedByTheRunnerTriggersARecycle() throws Exception {
    try (SupervisedWorker worker =
        SupervisedWorker.start(PhpStack.PHP_DIR, "127.0.0.1", FreePort.find(), 0, Map.of())) {
      worker.awaitReady(Duration.ofSeconds(10));
      try (TestGateway gw =
          workerGateway(worker, "{max_request: 0, max_uptime_second: 0, max_memory_mb: 48}")) {
        Instance instance = gw.gateway.pools().get(0).instances().get(0);
        await(
            () -> instance.stats().memoryBytes() != null, Duration.ofSeconds(5), "the first stats");
        assertTrue(instance.stats().memoryBytes() < 48L << 20, "starts below the limit");
        for (int i = 0; i < 40 && instance.recycles(RecycleReason.MAX_MEMORY) == 0; i++) {
          assertEquals(200, gw.get("/api/categories?leak_kb=2048").statusCode());
        }
        await(
            () -> instance.recycles(RecycleReason.MAX_MEMORY) == 1,
            Duration.ofSeconds(10),
            "a memory recycle");
        await(() -> instance.state() == InstanceState.READY, Duration.ofSeconds(10), "the restart");
        assertEquals(1, worker.restarts());
        assertEquals(200, gw.get("/api/categories").statusCode());
      }
    }
  }

  @Test
  void aSlowRequestOutlivingDrainSecondIsCountedAsOverrunAndStillCompletes() throws Exception {
    try (SupervisedWorker worker =
        SupervisedWorker.start(PhpStack.PHP_DIR, "127.0.0.1", FreePort.find(), 0, Map.of())) {
      worker.awaitReady(Duration.ofSeconds(10));
      try (TestGateway gw =
          workerGateway(worker, "{max_request: 1, jitter_percent: 0, drain_second: 1}")) {
        Instance instance = gw.gateway.pools().get(0).instances().get(0);
        CompletableFuture<HttpResponse<String>> slow =
            gw.http.sendAsync(
                HttpRequest.newBuilder(gw.uri("/api/categories?delay_ms=2500")).build(),
                HttpResponse.BodyHandlers.ofString());
        await(
            () ->
                instance.state() == InstanceState.RECYCLING
                    || instance.state() == InstanceState.STARTING,
            Duration.ofSeconds(5),
            "drain_second to run out");
        // SIGTERM lets the runner finish the request in flight: an overrun, not a lost request.
        assertEquals(200, slow.get(10, TimeUnit.SECONDS).statusCode());
        assertTrue(
            gw.get("/metrics", "X-Runtime-Token", TOKEN)
                .body()
                .contains("gateway_drain_overrun_total{pool=\"worker\"} 1"));
        assertEquals(1.0, instance.lastDrainSeconds(), 0.3);
      }
    }
  }

  @Test
  void anInstanceThatAnnouncesItsRecycleGetsNoNewRequests() throws Exception {
    MisbehavingServer.Behaviour announces =
        (head, in, out) ->
            out.write(
                ("HTTP/1.1 200 OK\r\n" + "X-Runtime-Recycle: 1\r\nContent-Length: 3\r\n\r\nbye")
                    .getBytes(StandardCharsets.US_ASCII));
    try (MisbehavingServer upstream = MisbehavingServer.start(announces);
        TestGateway gw =
            TestGateway.start(
                """
            security: {mode: "off"}
            pools:
              app:
                engine: roadrunner
                instances: ["%s"]
                recycle: {action: none}
                queue_timeout_ms: 100
                lifecycle: {drain_second: 30, min_recycle_interval_second: 0}
            """
                    .formatted(upstream.address()))) {
      HttpResponse<String> r = gw.get("/x");
      assertEquals(200, r.statusCode());
      assertFalse(
          r.headers().firstValue("X-Runtime-Recycle").isPresent(),
          "the signal is for the gateway only");
      Instance instance = gw.gateway.pools().get(0).instances().get(0);
      await(
          () -> instance.recycles(RecycleReason.SELF_SIGNALLED) == 1,
          Duration.ofSeconds(5),
          "the self-signalled recycle");
      await(
          () -> instance.state() == InstanceState.READY,
          Duration.ofSeconds(10),
          "the instance back");
      assertEquals(
          1, upstream.heads.size(), "only the probe-free request reached it before the recycle");
    }
  }

  @Test
  void adminRecycleNeedsTheTokenAndRollsThroughThePool() throws Exception {
    try (SupervisedWorker a =
            SupervisedWorker.start(PhpStack.PHP_DIR, "127.0.0.1", FreePort.find(), 0, Map.of());
        SupervisedWorker b =
            SupervisedWorker.start(PhpStack.PHP_DIR, "127.0.0.1", FreePort.find(), 0, Map.of())) {
      a.awaitReady(Duration.ofSeconds(10));
      b.awaitReady(Duration.ofSeconds(10));
      try (TestGateway gw =
          TestGateway.start(
              """
          security: {mode: allowlist_or_token}
          pools:
            worker:
              engine: php-worker
              instances: ["%s", "%s"]
              probe: {interval_ms: 50}
              stats: {interval_ms: 100}
              lifecycle: {max_request: 0, max_uptime_second: 0, max_memory_mb: 0, min_recycle_interval_second: 0}
          """
                  .formatted(a.address(), b.address()),
              Map.of("RUNTIME_ENDPOINT_SECURITY_TOKEN", TOKEN))) {
        HttpRequest.Builder post =
            HttpRequest.newBuilder(gw.uri("/admin/recycle?pool=worker"))
                .POST(HttpRequest.BodyPublishers.noBody());
        assertEquals(
            403,
            gw.http.send(post.build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
            "an allowlisted address alone cannot recycle");
        assertEquals(
            405, gw.get("/admin/recycle?pool=worker", "X-Runtime-Token", TOKEN).statusCode());
        HttpResponse<String> r =
            gw.http.send(
                post.header("X-Runtime-Token", TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(2, new JsonObject(r.body()).getJsonArray("scheduled").size());
        await(
            () -> a.restarts() == 1 && b.restarts() == 1,
            Duration.ofSeconds(20),
            "both runners recycled, one after the other");
        await(
            () ->
                gw.gateway.pools().get(0).instances().stream()
                    .allMatch(i -> i.state() == InstanceState.READY),
            Duration.ofSeconds(10),
            "both back");
        assertEquals(
            404,
            gw.http
                .send(
                    HttpRequest.newBuilder(gw.uri("/admin/recycle?pool=nope"))
                        .header("X-Runtime-Token", TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode());
      }
    }
  }
}
