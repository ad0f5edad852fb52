package io.supercharger.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.demo.FreePort;
import io.supercharger.demo.SupervisedWorker;
import io.supercharger.testing.PhpStack;
import io.supercharger.testing.TestGateway;
import io.supercharger.upstream.Instance;
import io.supercharger.upstream.RecycleReason;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pool with one instance: while it recycles, requests wait in the bounded queue, or go to the
 * configured fallback pool. Either way, no client gets a 5xx.
 */
class SingleInstanceRecycleTest {

  @ParameterizedTest(name = "fallback to fpm: {0}")
  @ValueSource(booleans = {false, true})
  void requestsDuringTheOnlyInstancesRecycleNeverFail(boolean fallback) throws Exception {
    try (PhpStack php = PhpStack.start(0, 2, 0);
        SupervisedWorker worker =
            SupervisedWorker.start(PhpStack.PHP_DIR, "127.0.0.1", FreePort.find(), 0, Map.of())) {
      worker.awaitReady(Duration.ofSeconds(10));
      try (TestGateway gw =
          TestGateway.start(
              """
          security: {mode: "off"}
          pools:
            worker:
              engine: php-worker
              instances: ["%s"]
              queue_timeout_ms: 10000
              probe: {interval_ms: 50}
              stats: {interval_ms: 100}
              %s
              lifecycle: {max_request: 25, jitter_percent: 0, min_recycle_interval_second: 0, max_recycles_per_minute: 1000}
            fpm: {engine: fpm, instances: ["%s"], fastcgi: {document_root: "%s", max_children: 2}}
          split: {weights: {worker: 100, fpm: 0}}
          """
                  .formatted(
                      worker.address(),
                      fallback ? "fallback: fpm" : "",
                      php.fpm.address(),
                      php.fpm.documentRoot()))) {
        Instance instance = gw.gateway.pools().get(0).instances().get(0);
        Map<String, Integer> bySapi = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (instance.recycles(RecycleReason.MAX_REQUEST) < 3 && System.nanoTime() < deadline) {
          HttpResponse<String> r = gw.get("/api/categories");
          assertEquals(200, r.statusCode(), r.body());
          bySapi.merge(r.headers().firstValue("X-Served-By-Sapi").orElse("?"), 1, Integer::sum);
        }
        assertTrue(instance.recycles(RecycleReason.MAX_REQUEST) >= 3);
        if (!fallback) {
          assertEquals(
              null, bySapi.get("fpm-fcgi"), "without a fallback, requests wait for the instance");
        }
      }
    }
  }
}
