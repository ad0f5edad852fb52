package io.supercharger.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.supercharger.config.ConfigLoader;
import io.supercharger.testing.MutableClock;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who gets a freed slot: a waiter on the loop that freed it, unless an older waiter elsewhere has
 * waited longer than the patience. Waiting times come from a hand-moved clock.
 */
class PoolDispatchTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
  Vertx vertx;
  Pool pool;
  Context loopA;
  Context loopB;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    pool =
        new Pool(
            0,
            ConfigLoader.parse(
                    """
                    pools:
                      w: {engine: php-worker, instances: ["127.0.0.1:1"], max_in_flight: 1,
                          queue_timeout_ms: 60000}
                    """,
                    "t.yaml",
                    Path.of("."),
                    Map.of())
                .pool("w"),
            vertx,
            clock);
    pool.instances().forEach(i -> i.markReady(0.0));
    loopA = ((VertxInternal) vertx).createEventLoopContext();
    loopB = ((VertxInternal) vertx).createEventLoopContext();
  }

  @AfterEach
  void stop() {
    vertx.close();
  }

  @Test
  void aFreedSlotGoesToAWaiterOnTheSameLoopWithinThePatience() throws Exception {
    assertEquals("loop A", winnerAfter(Duration.ofMillis(Pool.SAME_LOOP_PATIENCE_MS), loopA));
  }

  @Test
  void anOlderWaiterOnAnotherLoopGoesFirstOnceItWaitedPastThePatience() throws Exception {
    assertEquals("loop B", winnerAfter(Duration.ofMillis(Pool.SAME_LOOP_PATIENCE_MS + 1), loopA));
  }

  @Test
  void withoutAReleasingLoopTheOldestWaiterGoesFirst() throws Exception {
    assertEquals("loop B", winnerAfter(Duration.ZERO, null));
  }

  /**
   * Loop A holds the only slot; a request on loop B queues, then one on loop A {@code gap} later;
   * the slot is freed on {@code releasedOn}. Returns which waiter got it.
   */
  private String winnerAfter(Duration gap, Context releasedOn) throws Exception {
    CompletableFuture<Instance> held = new CompletableFuture<>();
    pool.acquire(loopA, held::complete, kind -> held.completeExceptionally(new AssertionError()));
    CompletableFuture<String> winner = new CompletableFuture<>();
    pool.acquire(loopB, i -> winner.complete("loop B"), kind -> {});
    clock.advance(gap);
    pool.acquire(loopA, i -> winner.complete("loop A"), kind -> {});
    pool.release(held.get(5, TimeUnit.SECONDS), releasedOn);
    return winner.get(5, TimeUnit.SECONDS);
  }
}
