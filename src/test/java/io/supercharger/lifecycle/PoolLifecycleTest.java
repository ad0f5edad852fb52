package io.supercharger.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.config.ConfigLoader;
import io.supercharger.config.PoolConfig;
import io.supercharger.testing.MutableClock;
import io.supercharger.upstream.Instance;
import io.supercharger.upstream.InstanceState;
import io.supercharger.upstream.InstanceStats;
import io.supercharger.upstream.Pool;
import io.supercharger.upstream.RecycleReason;
import io.vertx.core.Future;
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

/** The recycle state machine and its triggers, stepped with a hand-moved clock: nothing sleeps. */
class PoolLifecycleTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
  final List<String> actions = new ArrayList<>();
  final List<String> events = new ArrayList<>();
  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close();
  }

  private Pool pool(int instances, String lifecycle) {
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < instances; i++) {
      list.append(i == 0 ? "" : ", ").append("\"127.0.0.1:").append(9001 + i).append('"');
    }
    PoolConfig config =
        ConfigLoader.parse(
                """
        pools:
          w:
            engine: php-worker
            instances: [%s]
            max_in_flight: 0
            lifecycle: %s
        """
                    .formatted(list, lifecycle),
                "t.yaml",
                Path.of("."),
                Map.of())
            .pool("w");
    Pool pool = new Pool(0, config, vertx, clock);
    pool.instances().forEach(i -> i.markReady(0.0));
    return pool;
  }

  private PoolLifecycle lifecycle(Pool pool) {
    RecycleAction action =
        instance -> {
          actions.add(instance.address().toString());
          return Future.succeededFuture();
        };
    return new PoolLifecycle(
        pool,
        pool.config().lifecycle(),
        action,
        clock,
        new LifecycleEvents() {
          @Override
          public void drainStarted(Instance instance, RecycleReason reason) {
            events.add("drain " + instance.address() + " " + reason.label());
          }

          @Override
          public void recycled(
              Instance instance, RecycleReason reason, double drainSeconds, int overruns) {
            events.add(
                "recycle "
                    + instance.address()
                    + " "
                    + reason.label()
                    + " drained "
                    + drainSeconds
                    + "s overruns "
                    + overruns);
          }

          @Override
          public void pausedChanged(String pool, boolean paused) {
            events.add("paused " + paused);
          }
        });
  }

  private static void serve(Pool pool, Instance instance, int requests) {
    for (int i = 0; i < requests; i++) {
      assertTrue(pool.acquireOn(instance));
      pool.release(instance, null);
    }
  }

  @Test
  void maxRequestDrainsThenRecyclesThenRestarts() {
    Pool pool =
        pool(1, "{max_request: 5, jitter_percent: 0, max_uptime_second: 0, max_memory_mb: 0}");
    PoolLifecycle lifecycle = lifecycle(pool);
    Instance instance = pool.instances().get(0);
    serve(pool, instance, 4);
    lifecycle.tick();
    assertEquals(InstanceState.READY, instance.state(), "4 of 5 requests: not due yet");
    serve(pool, instance, 1);
    lifecycle.tick();
    // Idle at once, so the drain ends within the same tick and the action runs.
    assertEquals(InstanceState.STARTING, instance.state());
    assertEquals(List.of("127.0.0.1:9001"), actions);
    assertEquals(1, instance.recycles(RecycleReason.MAX_REQUEST));
    assertEquals(
        List.of(
            "drain 127.0.0.1:9001 max_request",
            "recycle 127.0.0.1:9001 max_request drained 0.0s overruns 0"),
        events);
    assertTrue(instance.markReady(0.0));
    assertEquals(0, instance.requestsSinceReady(), "the count starts again when READY");
  }

  @Test
  void drainWaitsForInFlightThenOverrunsAtDrainSecond() {
    Pool pool = pool(1, "{max_request: 1, jitter_percent: 0, drain_second: 10}");
    PoolLifecycle lifecycle = lifecycle(pool);
    Instance instance = pool.instances().get(0);
    assertTrue(pool.acquireOn(instance)); // one request stays in flight
    lifecycle.tick();
    assertEquals(InstanceState.DRAINING, instance.state());
    assertFalse(pool.acquireOn(instance), "a DRAINING instance takes no new request");
    clock.advance(Duration.ofSeconds(9));
    lifecycle.tick();
    assertEquals(InstanceState.DRAINING, instance.state());
    clock.advance(Duration.ofSeconds(1));
    lifecycle.tick();
    assertEquals(InstanceState.STARTING, instance.state());
    assertEquals("recycle 127.0.0.1:9001 max_request drained 10.0s overruns 1", events.get(1));
  }

  @Test
  void maxUnavailableRecyclesOneInstanceAtATime() {
    Pool pool =
        pool(
            3,
            "{max_request: 2, jitter_percent: 0, max_unavailable: 1, min_recycle_interval_second: 0}");
    PoolLifecycle lifecycle = lifecycle(pool);
    for (Instance i : pool.instances()) {
      assertTrue(pool.acquireOn(i));
      serve(pool, i, 2);
    }
    lifecycle.tick();
    assertEquals(
        1, pool.instances().stream().filter(i -> i.state() == InstanceState.DRAINING).count());
    assertEquals(1, lifecycle.unavailable());
    lifecycle.tick();
    assertEquals(1, lifecycle.unavailable(), "the others wait while one drains");
  }

  @Test
  void uptimeAndMemoryTriggers() {
    Pool pool =
        pool(
            2,
            "{max_request: 0, max_uptime_second: 60, max_memory_mb: 100, jitter_percent: 0, max_unavailable: 2}");
    PoolLifecycle lifecycle = lifecycle(pool);
    Instance a = pool.instances().get(0);
    Instance b = pool.instances().get(1);
    b.stats(new InstanceStats(99L * 1024 * 1024, "rss", 1.0, 1L, null));
    clock.advance(Duration.ofSeconds(59));
    lifecycle.tick();
    assertEquals(List.of(), actions);
    b.stats(new InstanceStats(100L * 1024 * 1024, "rss", 1.0, 1L, null));
    lifecycle.tick();
    assertEquals(1, b.recycles(RecycleReason.MAX_MEMORY));
    clock.advance(Duration.ofSeconds(1));
    lifecycle.tick();
    assertEquals(1, a.recycles(RecycleReason.MAX_UPTIME));
  }

  @Test
  void jitterLowersTheLimitPerInstance() {
    Pool pool = pool(1, "{max_request: 100, jitter_percent: 10, min_recycle_interval_second: 0}");
    PoolLifecycle lifecycle = lifecycle(pool);
    Instance instance = pool.instances().get(0);
    instance.beginDrain(RecycleReason.MANUAL);
    instance.beginRecycle();
    instance.recycleActionDone();
    assertTrue(instance.markReady(1.0)); // the largest draw: limit 90
    serve(pool, instance, 89);
    lifecycle.tick();
    assertEquals(InstanceState.READY, instance.state());
    serve(pool, instance, 1);
    lifecycle.tick();
    assertEquals(1, instance.recycles(RecycleReason.MAX_REQUEST));
  }

  @Test
  void thrashPausesAutomaticRecyclingAndResumesLater() {
    Pool pool =
        pool(
            1,
            "{max_request: 1, jitter_percent: 0, max_recycles_per_minute: 2, min_recycle_interval_second: 0}");
    PoolLifecycle lifecycle = lifecycle(pool);
    Instance instance = pool.instances().get(0);
    for (int round = 0; round < 2; round++) {
      serve(pool, instance, 1);
      lifecycle.tick();
      assertTrue(instance.markReady(0.0));
      clock.advance(Duration.ofSeconds(5));
    }
    serve(pool, instance, 1);
    lifecycle.tick();
    assertTrue(lifecycle.paused(), "a third recycle within a minute is thrash");
    assertEquals(InstanceState.READY, instance.state());
    assertTrue(events.contains("paused true"));
    clock.advance(PoolLifecycle.THRASH_PAUSE);
    lifecycle.tick();
    assertFalse(lifecycle.paused());
    assertEquals(3, instance.recycles(RecycleReason.MAX_REQUEST));
  }

  @Test
  void minimumIntervalBetweenRecyclesOfOneInstance() {
    Pool pool = pool(1, "{max_request: 1, jitter_percent: 0, min_recycle_interval_second: 30}");
    PoolLifecycle lifecycle = lifecycle(pool);
    Instance instance = pool.instances().get(0);
    serve(pool, instance, 1);
    lifecycle.tick();
    assertTrue(instance.markReady(0.0));
    serve(pool, instance, 1);
    clock.advance(Duration.ofSeconds(29));
    lifecycle.tick();
    assertEquals(InstanceState.READY, instance.state());
    clock.advance(Duration.ofSeconds(1));
    lifecycle.tick();
    assertEquals(2, instance.recycles(RecycleReason.MAX_REQUEST));
  }

  @Test
  void selfSignalledDrainsAtOnceWhileManualWaitsItsTurn() {
    Pool pool =
        pool(2, "{max_request: 0, max_uptime_second: 0, max_memory_mb: 0, max_unavailable: 1}");
    PoolLifecycle lifecycle = lifecycle(pool);
    Instance a = pool.instances().get(0);
    Instance b = pool.instances().get(1);
    assertTrue(pool.acquireOn(a));
    assertTrue(pool.acquireOn(b));
    assertTrue(lifecycle.requestRecycle(a, RecycleReason.MANUAL));
    assertEquals(InstanceState.DRAINING, a.state());
    assertTrue(lifecycle.requestRecycle(b, RecycleReason.MANUAL), "scheduled");
    assertEquals(InstanceState.READY, b.state(), "max_unavailable holds the manual one back");
    assertTrue(lifecycle.requestRecycle(b, RecycleReason.SELF_SIGNALLED));
    assertEquals(
        InstanceState.DRAINING,
        b.state(),
        "a self-signalled instance stops taking requests at once");
  }
}
