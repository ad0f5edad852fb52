package io.supercharger.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.canary.CanaryState.Status;
import io.supercharger.canary.Verdict.Result;
import io.supercharger.config.ConfigLoader;
import io.supercharger.config.GatewayConfig;
import io.supercharger.policy.SloPolicy;
import io.supercharger.split.Splitter;
import io.supercharger.split.StickyMode;
import io.supercharger.testing.MutableClock;
import io.supercharger.upstream.Pool;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Windows, verdicts and steps with a hand-moved clock and synthetic traffic: nothing sleeps. */
class CanaryControllerTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
  final List<String> events = new ArrayList<>();
  @TempDir Path dir;
  Vertx vertx;
  GatewayConfig config;
  Pool worker;
  Pool fpm;
  Splitter splitter;
  PoolWindows windows;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    load("");
  }

  @AfterEach
  void tearDown() {
    vertx.close();
  }

  private void load(String extraCanary) {
    config =
        ConfigLoader.parse(
            """
        pools:
          worker: {engine: php-worker, instances: ["127.0.0.1:9001"]}
          fpm: {engine: fpm, instances: ["127.0.0.1:9002"], fastcgi: {document_root: /tmp}}
        split: {weights: {worker: 0, fpm: 100}}
        canary: {pool: worker, baseline: fpm, steps: [10, 50, 100], interval_second: 60, min_requests: 100,
                 failed_windows_to_rollback: 2, state_file: state.json %s}
        """
                .formatted(extraCanary),
            "t.yaml",
            dir,
            Map.of());
    worker = new Pool(0, config.pool("worker"), vertx, clock);
    fpm = new Pool(1, config.pool("fpm"), vertx, clock);
    splitter = new Splitter(StickyMode.COOKIE, false, config.split().weights());
    windows = new PoolWindows(2, 61, clock);
  }

  private CanaryController controller() {
    return controller(null);
  }

  private CanaryController controller(io.supercharger.lifecycle.PoolLifecycle lifecycle) {
    return new CanaryController(
        config.canary(),
        SloPolicy.loadOrEmbedded(null),
        splitter,
        windows,
        worker,
        fpm,
        lifecycle,
        clock,
        (state, event, verdict) -> events.add(event + " " + state.weight()));
  }

  /** A minute of traffic for the canary: n requests of a class at a latency, some failing. */
  private void traffic(int n, boolean write, long ms, int errors) {
    for (int i = 0; i < n; i++) {
      windows.record(worker.index(), write, ms * 1_000_000, i < errors);
      windows.record(fpm.index(), write, ms * 1_000_000, false);
    }
  }

  private Verdict nextWindow(CanaryController c, Runnable traffic) {
    clock.advance(Duration.ofSeconds(60));
    traffic.run();
    return c.evaluate();
  }

  @Test
  void aHealthyCanaryIsPromotedThroughEveryStep() {
    CanaryController c = controller();
    assertEquals(10, splitter.snapshot().weights().get("worker"), "starts at steps[0]");
    for (int expected : new int[] {50, 100}) {
      Verdict v = nextWindow(c, () -> traffic(200, false, 20, 0));
      assertEquals(Result.PASS, v.result(), v.reasons().toString());
      assertEquals(expected, c.state().weight());
    }
    assertEquals(Status.COMPLETED, c.state().status());
    assertEquals(0, splitter.snapshot().weights().get("fpm"));
    assertEquals(List.of("promote 50", "promote 100"), events);
  }

  @Test
  void tooLittleTrafficHoldsAndNeverPromotes() {
    CanaryController c = controller();
    Verdict v = nextWindow(c, () -> traffic(99, false, 20, 0));
    assertEquals(Result.INSUFFICIENT, v.result());
    assertTrue(v.reasons().get(0).contains("99 requests < min_requests 100"));
    assertEquals(10, c.state().weight());
  }

  @Test
  void errorsAboveTheGateRollBackAfterTheConfiguredWindows() {
    CanaryController c = controller();
    Verdict first = nextWindow(c, () -> traffic(200, false, 20, 2)); // 1% > 0.5%
    assertEquals(Result.FAIL, first.result());
    assertEquals(List.of("read errors 1% > 0.50%"), first.reasons());
    assertEquals(10, c.state().weight(), "one failed window holds");
    nextWindow(c, () -> traffic(200, false, 20, 2));
    assertEquals(Status.ROLLED_BACK, c.state().status());
    assertEquals(0, splitter.snapshot().weights().get("worker"));
    assertEquals(100, splitter.snapshot().weights().get("fpm"));
  }

  @Test
  void slowWritesFailTheWriteGateWhileReadsPass() {
    CanaryController c = controller();
    Verdict v =
        nextWindow(
            c,
            () -> {
              traffic(150, false, 20, 0);
              traffic(100, true, 800, 0);
            });
    assertEquals(Result.FAIL, v.result());
    assertEquals(List.of("write p95 850 ms > 700 ms"), v.reasons());
    assertEquals("pass", CanaryMetrics.classResult(v, "read"));
    assertEquals("fail", CanaryMetrics.classResult(v, "write"));
  }

  @Test
  void theWindowSlidesOldTrafficOut() {
    CanaryController c = controller();
    traffic(200, false, 20, 50); // bad, but it will be older than the window
    clock.advance(Duration.ofSeconds(61));
    traffic(200, false, 20, 0);
    assertEquals(Result.PASS, c.evaluate().result());
  }

  @Test
  void theStateFileWinsOverTheConfigAfterARestart() {
    CanaryController first = controller();
    nextWindow(first, () -> traffic(200, false, 20, 0));
    assertEquals(50, first.state().weight());
    load("");
    CanaryController restarted = controller();
    assertEquals(50, restarted.state().weight());
    assertEquals(1, restarted.state().step());
    assertEquals(50, splitter.snapshot().weights().get("worker"));
  }

  @Test
  void operatorActionsAndDryRuns() {
    CanaryController c = controller();
    assertEquals(50, c.promote(true).weight());
    assertEquals(10, c.state().weight(), "a dry run changes nothing");
    c.pause(false);
    nextWindow(c, () -> traffic(200, false, 20, 0));
    assertEquals(10, c.state().weight(), "paused: judged but not acted on");
    c.resume(false);
    c.weight(30, false);
    assertEquals(30, splitter.snapshot().weights().get("worker"));
    assertEquals(0, c.state().step(), "promotion continues from the first step above 30");
    c.rollback(false);
    assertEquals(0, splitter.snapshot().weights().get("worker"));
    c.resume(false);
    assertEquals(10, c.state().weight(), "after a rollback, resume starts again at steps[0]");
  }

  @Test
  void aBaselineComparisonFailsASlowerCanary() {
    load(", baseline_p95_factor: 1.5");
    CanaryController c = controller();
    clock.advance(Duration.ofSeconds(60));
    for (int i = 0; i < 200; i++) {
      windows.record(worker.index(), false, 100_000_000, false);
      windows.record(fpm.index(), false, 20_000_000, false);
    }
    Verdict v = c.evaluate();
    assertEquals(Result.FAIL, v.result());
    assertNotNull(
        v.reasons().stream().filter(r -> r.contains("baseline")).findFirst().orElse(null),
        v.reasons().toString());
  }

  @Test
  void mitigationRecyclesAggressivelyAtRuntimeBeforeRollingBack() {
    load(", on_failure: mitigate");
    var lifecycle =
        new io.supercharger.lifecycle.PoolLifecycle(
            worker,
            config.pool("worker").lifecycle(),
            instance -> io.vertx.core.Future.succeededFuture(),
            clock,
            io.supercharger.lifecycle.LifecycleEvents.NONE);
    assertEquals(1000, lifecycle.config().maxRequest());
    CanaryController c = controller(lifecycle);
    nextWindow(c, () -> traffic(200, false, 20, 5));
    nextWindow(c, () -> traffic(200, false, 20, 5));
    // The runbook's first action: MAX_REQUEST=50, MAX_UPTIME=600, with no restart.
    assertEquals(Status.MITIGATING, c.state().status());
    assertEquals(10, c.state().weight(), "mitigation keeps the canary's traffic");
    assertEquals(50, lifecycle.config().maxRequest());
    assertEquals(600, lifecycle.config().maxUptimeSecond());
    nextWindow(c, () -> traffic(200, false, 20, 5));
    nextWindow(c, () -> traffic(200, false, 20, 5));
    assertEquals(
        Status.ROLLED_BACK, c.state().status(), "still failing after mitigation: roll back");
    c.resume(false);
    assertEquals(1000, lifecycle.config().maxRequest(), "resume restores the configured limits");
  }
}
