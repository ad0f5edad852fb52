package io.supercharger.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.demo.FreePort;
import io.supercharger.demo.SupervisedWorker;
import io.supercharger.testing.PhpStack;
import io.supercharger.testing.TestGateway;
import io.supercharger.upstream.Instance;
import io.supercharger.upstream.InstanceState;
import io.supercharger.upstream.Pool;
import io.supercharger.upstream.RecycleReason;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real worker runners, under a supervisor that restarts them, recycled by request count while
 * clients keep sending reads and writes: dozens of recycles, and no client ever sees an error.
 */
class RecycleUnderLoadTest {
  final List<SupervisedWorker> workers = new ArrayList<>();

  @AfterEach
  void stop() {
    workers.forEach(SupervisedWorker::close);
  }

  private String startWorkers(int n) {
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SupervisedWorker w =
          SupervisedWorker.start(PhpStack.PHP_DIR, "127.0.0.1", FreePort.find(), 0, Map.of());
      w.awaitReady(Duration.ofSeconds(10));
      workers.add(w);
      addresses.add("\"" + w.address() + "\"");
    }
    return addresses.toString();
  }

  @Test
  void dozensOfRecyclesUnderMixedLoadLoseNothing() throws Exception {
    String instances = startWorkers(3);
    try (TestGateway gw =
        TestGateway.start(
            """
        security: {mode: "off"}
        pools:
          worker:
            engine: php-worker
            instances: %s
            max_in_flight: 1
            queue_timeout_ms: 5000
            probe: {interval_ms: 50, timeout_ms: 500}
            stats: {interval_ms: 200}
            lifecycle: {max_request: 20, jitter_percent: 20, max_unavailable: 1, drain_second: 5,
                        min_recycle_interval_second: 0, max_recycles_per_minute: 100000,
                        max_uptime_second: 0, max_memory_mb: 0}
        """
                .formatted(instances))) {
      Pool pool = gw.gateway.pools().get(0);
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger maxUnavailable = new AtomicInteger();
      Thread sampler =
          new Thread(
              () -> {
                while (running.get()) {
                  int unavailable = 0;
                  for (Instance i : pool.instances()) {
                    unavailable += i.state() == InstanceState.READY ? 0 : 1;
                  }
                  maxUnavailable.accumulateAndGet(unavailable, Math::max);
                  Thread.onSpinWait();
                }
              });
      sampler.start();
      AtomicLong ok = new AtomicLong();
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      ExecutorService clients = Executors.newFixedThreadPool(6);
      // Load runs until the pool has recycled dozens of times (bounded, for a slow machine).
      long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
      java.util.function.BooleanSupplier more =
          () ->
              System.nanoTime() < deadline
                  && pool.instances().stream()
                          .mapToLong(i -> i.recycles(RecycleReason.MAX_REQUEST))
                          .sum()
                      < 30;
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < 6; c++) {
        int client = c;
        done.add(
            clients.submit(
                () -> {
                  for (int n = 0; more.getAsBoolean(); n++) {
                    HttpResponse<String> r =
                        (n + client) % 3 == 0
                            ? gw.post("/api/orders", ("{\"n\":" + n + "}").getBytes())
                            : gw.get("/api/categories");
                    if (r.statusCode() / 100 == 2) {
                      ok.incrementAndGet();
                    } else {
                      failures.add(r.statusCode() + " " + r.body());
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      clients.shutdown();
      running.set(false);
      sampler.join();

      long recycles =
          pool.instances().stream().mapToLong(i -> i.recycles(RecycleReason.MAX_REQUEST)).sum();
      assertEquals(List.of(), new ArrayList<>(failures), "no client request may fail");
      assertTrue(recycles >= 30, "only " + recycles + " recycles in " + ok.get() + " requests");
      assertTrue(
          maxUnavailable.get() <= 1, "max_unavailable 1 was exceeded: " + maxUnavailable.get());
      assertTrue(
          workers.stream().mapToInt(SupervisedWorker::restarts).sum() >= 24,
          "the runners really restarted");
      String metrics = gw.get("/metrics").body();
      assertTrue(
          metrics.contains("gateway_recycles_total{pool=\"worker\",reason=\"max_request\"}"),
          metrics);
      JsonObject status = new JsonObject(gw.get("/status").body());
      JsonObject first =
          status
              .getJsonObject("pools")
              .getJsonObject("worker")
              .getJsonArray("instances")
              .getJsonObject(0);
      assertTrue(first.getJsonObject("recycles").getLong("max_request") > 0, first.encode());
    }
  }
}
