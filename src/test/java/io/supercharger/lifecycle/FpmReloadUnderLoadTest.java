package io.supercharger.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.testing.PhpStack;
import io.supercharger.testing.TestGateway;
import io.supercharger.upstream.Instance;
import io.supercharger.upstream.RecycleReason;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * An fpm pool that opts in to the lifecycle with a graceful reload: SIGUSR2 to the FPM master,
 * which keeps its listening socket while it renews every child. Under load, nothing fails.
 */
class FpmReloadUnderLoadTest {

  @Test
  void usr2ReloadsUnderLoadLoseNothing() throws Exception {
    try (PhpStack php = PhpStack.start(0, 2, 0);
        TestGateway gw =
            TestGateway.start(
                """
            security: {mode: "off"}
            pools:
              fpm:
                engine: fpm
                instances: ["%s"]
                fastcgi: {document_root: "%s", max_children: 2}
                queue_timeout_ms: 10000
                probe: {interval_ms: 50}
                recycle: {action: signal, signal: USR2, pid_file: "%s"}
                lifecycle: {max_request: 80, jitter_percent: 0, drain_second: 5, min_recycle_interval_second: 0,
                            max_recycles_per_minute: 1000, max_uptime_second: 0, max_memory_mb: 0}
            """
                    .formatted(
                        php.fpm.address(),
                        php.fpm.documentRoot(),
                        php.fpm.configFile().getParent().resolve("php-fpm.pid")))) {
      Instance instance = gw.gateway.pools().get(0).instances().get(0);
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      ExecutorService clients = Executors.newFixedThreadPool(4);
      long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        int client = c;
        done.add(
            clients.submit(
                () -> {
                  for (int n = 0;
                      System.nanoTime() < deadline
                          && instance.recycles(RecycleReason.MAX_REQUEST) < 4;
                      n++) {
                    // Writes go to the echo: SQLite write contention while FPM renews every child
                    // is the
                    // sample app's concern, not the reload's.
                    HttpResponse<String> r =
                        (n + client) % 2 == 0
                            ? gw.post("/echo/orders", ("{\"n\":" + n + "}").getBytes())
                            : gw.get("/api/categories");
                    if (r.statusCode() / 100 != 2) {
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
      assertEquals(List.of(), new ArrayList<>(failures));
      assertTrue(
          instance.recycles(RecycleReason.MAX_REQUEST) >= 4,
          "reloads: " + instance.recycles(RecycleReason.MAX_REQUEST));
      assertTrue(
          php.fpm.output().text().contains("Reloading in progress"), php.fpm.output().text());
    }
  }
}
