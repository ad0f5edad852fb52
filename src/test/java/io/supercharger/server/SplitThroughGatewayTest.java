package io.supercharger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.testing.PhpStack;
import io.supercharger.testing.TestGateway;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The weighted split as real PHP reports it: which SAPI served each request. */
class SplitThroughGatewayTest {
  static PhpStack php;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    php = PhpStack.start(2, 4, 0);
    gw =
        TestGateway.start(
            """
        security: {mode: "off"}
        pools:
          worker: {engine: php-worker, instances: %s, queue_timeout_ms: 5000}
          fpm:
            engine: fpm
            instances: ["%s"]
            fastcgi: {document_root: "%s", max_children: 4}
            queue_timeout_ms: 5000
        split: {weights: {worker: 30, fpm: 70}, sticky: cookie}
        """
                .formatted(php.workerInstances(), php.fpm.address(), php.fpm.documentRoot()));
  }

  @AfterAll
  static void stop() {
    gw.close();
    php.close();
  }

  @Test
  void cookielessRequestsFollowTheWeightsWithinTwoPoints() throws Exception {
    Map<String, AtomicInteger> bySapi = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      done.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 250; i++) {
                  HttpResponse<String> r = gw.get("/api/categories");
                  assertEquals(200, r.statusCode());
                  bySapi
                      .computeIfAbsent(
                          r.headers().firstValue("X-Served-By-Sapi").orElse("?"),
                          k -> new AtomicInteger())
                      .incrementAndGet();
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    int worker = bySapi.getOrDefault("cli", new AtomicInteger()).get();
    int fpm = bySapi.getOrDefault("fpm-fcgi", new AtomicInteger()).get();
    assertEquals(2000, worker + fpm, bySapi.toString());
    double workerPct = 100.0 * worker / 2000;
    assertTrue(Math.abs(workerPct - 30) <= 2, "worker share " + workerPct + "% (expected 30 ± 2)");
  }

  @Test
  void aClientKeepsItsPoolThroughItsCookie() throws Exception {
    HttpResponse<String> first = gw.get("/api/categories");
    String setCookie = first.headers().firstValue("Set-Cookie").orElse(null);
    assertNotNull(setCookie, "a new client gets a bucket cookie");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String sapi = first.headers().firstValue("X-Served-By-Sapi").orElseThrow();
    for (int i = 0; i < 30; i++) {
      HttpResponse<String> r = gw.get("/api/categories", "Cookie", "other=1; " + cookie);
      assertEquals(sapi, r.headers().firstValue("X-Served-By-Sapi").orElseThrow());
      assertTrue(r.headers().firstValue("Set-Cookie").isEmpty(), "a valid cookie is not replaced");
    }
  }

  @Test
  void aForgedCookieIsReplacedNotTrusted() throws Exception {
    HttpResponse<String> r = gw.get("/api/categories", "Cookie", "sc_bucket=worker");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Set-Cookie").orElse("").startsWith("sc_bucket="));
  }
}
