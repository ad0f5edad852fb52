package io.supercharger.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.canary.CanaryState.Status;
import io.supercharger.testing.PhpStack;
import io.supercharger.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The canary driven by real PHP behind the gateway, with the sample app's fault switches. */
class CanaryThroughGatewayTest {
  @TempDir Path dir;

  private TestGateway gateway(PhpStack php, String canaryExtra) throws Exception {
    return TestGateway.start(
        """
        security: {mode: "off"}
        pools:
          worker: {engine: php-worker, instances: %s, queue_timeout_ms: 5000, lifecycle: {enabled: false}}
          fpm: {engine: fpm, instances: ["%s"], fastcgi: {document_root: "%s", max_children: 4}, queue_timeout_ms: 5000}
        split: {weights: {worker: 0, fpm: 100}, sticky: cookie}
        canary: {pool: worker, baseline: fpm, steps: [20, 60, 100], interval_second: 2, min_requests: 8,
                 failed_windows_to_rollback: 2, state_file: "%s" %s}
        flight_recorder: {lines: 50, dir: "%s"}
        """
            .formatted(
                php.workerInstances(),
                php.fpm.address(),
                php.fpm.documentRoot(),
                dir.resolve("canary.json"),
                canaryExtra,
                dir.resolve("snapshots")));
  }

  /** Sends requests until the condition holds; every response must be a 2xx unless allowed. */
  private static int driveUntil(
      TestGateway gw, BooleanSupplier done, boolean allowErrors, String... headers)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int errors = 0;
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      HttpResponse<String> r = gw.get("/api/categories", headers);
      if (r.statusCode() / 100 != 2) {
        errors++;
        assertTrue(allowErrors, "unexpected " + r.statusCode());
      }
    }
    return errors;
  }

  @Test
  void aHealthyCanaryReachesAHundredPercent() throws Exception {
    try (PhpStack php = PhpStack.start(2, 2, 0);
        TestGateway gw = gateway(php, "")) {
      CanaryController c = gw.gateway.canary().controller();
      driveUntil(gw, () -> c.state().status() == Status.COMPLETED, false);
      assertEquals(100, c.state().weight());
      JsonObject canary = new JsonObject(gw.get("/status").body()).getJsonObject("canary");
      assertEquals("completed", canary.getString("state"));
      assertTrue(canary.getJsonArray("verdicts").size() >= 2);
      assertTrue(gw.get("/metrics").body().contains("gateway_canary_weight{pool=\"worker\"} 100"));
    }
  }

  @Test
  void injectedErrorsRollBackAndEveryLaterRequestGoesToFpm() throws Exception {
    try (PhpStack php = PhpStack.start(2, 2, 0, Map.of(), Map.of("APP_ERROR_RATE", "0.25"));
        TestGateway gw = gateway(php, "")) {
      CanaryController c = gw.gateway.canary().controller();
      // A client that the split really put on the canary before the rollback: its cookie. The
      // canary is paused meanwhile, so it cannot roll back before such a client is found.
      c.pause(false);
      String cookie = null;
      while (cookie == null) {
        HttpResponse<String> r = gw.get("/api/categories");
        if ("cli".equals(r.headers().firstValue("X-Served-By-Sapi").orElse(""))) {
          String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
          cookie = setCookie.substring(0, setCookie.indexOf(';'));
        }
      }
      assertEquals(
          "cli",
          gw.get("/api/categories", "Cookie", cookie)
              .headers()
              .firstValue("X-Served-By-Sapi")
              .orElseThrow(),
          "the cookie keeps it on the canary");
      c.resume(false);
      driveUntil(gw, () -> c.state().status() == Status.ROLLED_BACK, true);
      for (int i = 0; i < 30; i++) {
        HttpResponse<String> r = gw.get("/api/categories", "Cookie", cookie);
        assertEquals(200, r.statusCode(), "after the rollback nothing fails");
        assertEquals(
            "fpm-fcgi",
            r.headers().firstValue("X-Served-By-Sapi").orElseThrow(),
            "sticky clients moved");
      }
      try (Stream<Path> files = Files.list(dir.resolve("snapshots"))) {
        List<Path> rollbacks = files.filter(p -> p.toString().endsWith("-rollback.json")).toList();
        assertEquals(1, rollbacks.size());
        JsonObject snapshot = new JsonObject(Files.readString(rollbacks.get(0)));
        assertTrue(snapshot.getJsonArray("log_lines").size() > 0);
        assertEquals("fail", snapshot.getJsonObject("verdict").getString("result"));
        assertTrue(snapshot.getString("metrics").contains("gateway_request_duration_seconds"));
      }
      JsonObject saved = new JsonObject(Files.readString(dir.resolve("canary.json")));
      assertEquals("rolled_back", saved.getString("status"));
    }
  }

  @Test
  void theCircuitBreakerDivertsAFailingCanaryBeforeAnyWindow() throws Exception {
    try (PhpStack php = PhpStack.start(1, 2, 0, Map.of(), Map.of("APP_ERROR_RATE", "1"));
        TestGateway gw = gateway(php, "")) {
      gw.gateway.canary().controller().pause(false); // no window may act: only the breaker
      gw.gateway.canary().controller().weight(100, false);
      int errors =
          driveUntil(
              gw,
              () ->
                  gw.gateway.pools().get(0).breaker().getState()
                      == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN,
              true);
      assertTrue(errors >= 10 && errors <= 50, errors + " errors before the breaker opened");
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> r = gw.get("/api/categories");
        assertEquals(200, r.statusCode());
        assertEquals("fpm-fcgi", r.headers().firstValue("X-Served-By-Sapi").orElseThrow());
      }
      // Once the canary's errors are out of the window, the open circuit alone fails it: the
      // breaker leaves the canary no traffic, so the window would otherwise stay insufficient.
      long windowPassed = System.nanoTime() + Duration.ofMillis(2500).toNanos();
      driveUntil(gw, () -> System.nanoTime() > windowPassed, false);
      Verdict verdict = gw.gateway.canary().controller().evaluate();
      assertEquals(Verdict.Result.FAIL, verdict.result());
      assertTrue(verdict.reasons().get(0).startsWith("circuit open"), verdict.reasons().toString());
    }
  }
}
