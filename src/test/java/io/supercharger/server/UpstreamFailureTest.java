package io.supercharger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.testing.MisbehavingServer;
import io.supercharger.testing.RawHttp;
import io.supercharger.testing.TestGateway;
import io.supercharger.upstream.InstanceState;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Failing upstreams get the right gateway answer (502, 503, 504) and never a hang. */
class UpstreamFailureTest {

  private static TestGateway httpGateway(String instance, int responseMs) throws Exception {
    return TestGateway.start(
        """
        security: {mode: "off"}
        timeouts: {response_ms: %d}
        pools: {app: {engine: roadrunner, instances: ["%s"], queue_timeout_ms: 200}}
        """
            .formatted(responseMs, instance));
  }

  @Test
  void anUpstreamThatDiedSinceItsLastProbeGives502ThenGoesDown() throws Exception {
    ServerSocket doomed = new ServerSocket(0);
    try (TestGateway gw = httpGateway("127.0.0.1:" + doomed.getLocalPort(), 5000)) {
      doomed.close();
      HttpResponse<String> r = gw.get("/api/categories");
      assertEquals(502, r.statusCode());
      assertEquals(InstanceState.DOWN, gw.gateway.pools().get(0).instances().get(0).state());
      // With no instance expected back, the next request is refused at once instead of queued.
      assertEquals(503, gw.get("/api/categories").statusCode());
      assertEquals(503, gw.get("/ready").statusCode());
      String metrics = gw.get("/metrics").body();
      assertTrue(
          metrics.contains("gateway_upstream_errors_total{kind=\"connect\",pool=\"app\"} 1.0"),
          metrics);
    }
  }

  @Test
  void aHangingUpstreamGives504AfterResponseTimeout() throws Exception {
    try (MisbehavingServer hang = MisbehavingServer.start(MisbehavingServer.HANG);
        TestGateway gw = httpGateway(hang.address(), 300)) {
      long start = System.nanoTime();
      HttpResponse<String> r = gw.get("/api/categories");
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(504, r.statusCode());
      assertTrue(ms >= 250 && ms < 5000, "answered after " + ms + " ms");
      assertTrue(
          gw.get("/metrics")
              .body()
              .contains("gateway_upstream_errors_total{kind=\"timeout\",pool=\"app\"} 1.0"));
    }
  }

  @Test
  void garbageFromTheUpstreamGives502() throws Exception {
    try (MisbehavingServer garbage = MisbehavingServer.start(MisbehavingServer.GARBAGE);
        TestGateway gw = httpGateway(garbage.address(), 5000)) {
      assertEquals(502, gw.get("/api/categories").statusCode());
    }
  }

  @Test
  void aResponseCutShortIsNeverDeliveredAsComplete() throws Exception {
    try (MisbehavingServer cut = MisbehavingServer.start(MisbehavingServer.CUT_SHORT);
        TestGateway gw = httpGateway(cut.address(), 5000)) {
      assertThrows(IOException.class, () -> gw.get("/api/categories"));
    }
  }

  @Test
  void hopByHopResponseHeadersAreDropped() throws Exception {
    MisbehavingServer.Behaviour hops =
        (head, in, out) ->
            out.write(
                ("HTTP/1.1 200 OK\r\n"
                        + "Connection: X-Secret-Hop\r\nX-Secret-Hop: 1\r\nKeep-Alive: timeout=5\r\n"
                        + "Proxy-Authenticate: Basic\r\nX-End-To-End: kept\r\nContent-Length: 2\r\n\r\nok")
                    .getBytes(StandardCharsets.US_ASCII));
    try (MisbehavingServer server = MisbehavingServer.start(hops);
        TestGateway gw = httpGateway(server.address(), 5000);
        RawHttp raw = RawHttp.connect("127.0.0.1", gw.port())) {
      raw.send(RawHttp.request("GET", "/x", Map.of("Host", "example.test")));
      RawHttp.Response r = raw.read();
      assertEquals(200, r.status());
      assertEquals("kept", r.header("X-End-To-End").orElse(null));
      assertTrue(r.header("X-Secret-Hop").isEmpty());
      assertTrue(r.header("Keep-Alive").isEmpty());
      assertTrue(r.header("Proxy-Authenticate").isEmpty());
      assertEquals("ok", r.bodyText());
    }
  }

  /**
   * Odd upstream heads get a definite answer, never a hang: Latin-1 text and unknown status codes
   * are relayed as they came, control characters and conflicting lengths are refused with a 502,
   * and a chunked body wins over a Content-Length (which is dropped, RFC 9112 section 6.3).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "200 | HTTP/1.1 200 Caf\u00e9\r\nContent-Length: 2\r\n\r\nok",
        "200 | HTTP/1.1 200 OK\r\nX-Latin: caf\u00e9\r\nContent-Length: 2\r\n\r\nok",
        "502 | HTTP/1.1 200 OK\r\nX-Ctl: a\u0001b\r\nContent-Length: 2\r\n\r\nok",
        "999 | HTTP/1.1 999 Odd\r\nContent-Length: 2\r\n\r\nok",
        "502 | HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok",
        "200 | HTTP/1.1 200 OK\r\nContent-Length: 9\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
        "502 | HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\nraw",
      })
  void oddResponseHeadsGetADefiniteAnswer(String expectedAndAnswer) throws Exception {
    int expected = Integer.parseInt(expectedAndAnswer.substring(0, 3));
    String answer = expectedAndAnswer.substring(6);
    MisbehavingServer.Behaviour odd =
        (head, in, out) -> out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
    try (MisbehavingServer server = MisbehavingServer.start(odd);
        TestGateway gw = httpGateway(server.address(), 5000);
        RawHttp raw = RawHttp.connect("127.0.0.1", gw.port())) {
      raw.send(RawHttp.request("GET", "/x", Map.of("Host", "example.test")));
      RawHttp.Response r = raw.read();
      assertEquals(expected, r.status());
      if (expected != 502) {
        assertEquals("ok", r.bodyText());
      } else {
        assertEquals("Bad Gateway", r.reason());
      }
      // The upstream answered, so it ran the request: it is never sent again.
      assertEquals(1, server.heads.size(), server.heads.toString());
    }
  }

  @Test
  void aDeadFpmGives502AndAHangingOneGives504() throws Exception {
    ServerSocket doomed = new ServerSocket(0);
    try (MisbehavingServer hang = MisbehavingServer.start((head, in, out) -> in.read());
        TestGateway gw =
            TestGateway.start(
                """
            security: {mode: "off"}
            timeouts: {response_ms: 300}
            pools:
              dead: {engine: fpm, instances: ["127.0.0.1:%d"], fastcgi: {document_root: /tmp, max_children: 2}}
              hang: {engine: fpm, instances: ["%s"], fastcgi: {document_root: /tmp, max_children: 2}}
            split: {weights: {dead: 50, hang: 50}}
            """
                    .formatted(doomed.getLocalPort(), hang.address()))) {
      doomed.close();
      assertEquals(502, gw.get("/x", "X-Supercharger-Pool", "dead").statusCode());
      assertEquals(504, gw.get("/x", "X-Supercharger-Pool", "hang").statusCode());
    }
  }

  @Test
  void requestsWaitForABusyInstanceThenGet503() throws Exception {
    try (MisbehavingServer hang = MisbehavingServer.start(MisbehavingServer.HANG);
        TestGateway gw =
            TestGateway.start(
                """
            security: {mode: "off"}
            timeouts: {response_ms: 2000}
            pools: {app: {engine: php-worker, instances: ["%s"], max_in_flight: 1, queue_timeout_ms: 200}}
            """
                    .formatted(hang.address()))) {
      var first =
          gw.http.sendAsync(
              java.net.http.HttpRequest.newBuilder(gw.uri("/slow")).build(),
              HttpResponse.BodyHandlers.ofString());
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (gw.gateway.pools().get(0).instances().get(0).inFlight() == 0
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(
          503, gw.get("/second").statusCode(), "the single slot is taken; the wait is bounded");
      assertEquals(504, first.get().statusCode());
    }
  }

  @Test
  void theGatewaysOwnRefusalsNeverTripThePoolsCircuit() throws Exception {
    try (MisbehavingServer hang = MisbehavingServer.start(MisbehavingServer.HANG);
        TestGateway gw =
            TestGateway.start(
                """
            security: {mode: "off"}
            timeouts: {response_ms: 3000}
            pools: {app: {engine: php-worker, instances: ["%s"], max_in_flight: 1, queue_timeout_ms: 50}}
            """
                    .formatted(hang.address()))) {
      java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> burst =
          new java.util.ArrayList<>();
      for (int i = 0; i < 30; i++) {
        burst.add(
            gw.http.sendAsync(
                java.net.http.HttpRequest.newBuilder(gw.uri("/x" + i)).build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      long refused = 0;
      for (var f : burst) {
        refused += f.get().statusCode() == 503 ? 1 : 0;
      }
      assertTrue(refused >= 25, refused + " refusals");
      assertEquals(
          io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED,
          gw.gateway.pools().get(0).breaker().getState(),
          "no slot in time says nothing about the pool's health");
    }
  }

  @Test
  void aClientThatLeavesWhileQueuedGivesItsPlaceUpAtOnce() throws Exception {
    try (MisbehavingServer hang = MisbehavingServer.start(MisbehavingServer.HANG);
        TestGateway gw =
            TestGateway.start(
                """
                security: {mode: "off"}
                timeouts: {response_ms: 20000}
                pools: {app: {engine: php-worker, instances: ["%s"], max_in_flight: 1, queue_timeout_ms: 15000}}
                """
                    .formatted(hang.address()))) {
      var pool = gw.gateway.pools().get(0);
      try (RawHttp holder = RawHttp.connect("127.0.0.1", gw.port(), Duration.ofSeconds(5))) {
        holder.send(RawHttp.request("GET", "/slow", Map.of("Host", "a")));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (pool.instances().get(0).inFlight() == 0) {
          assertTrue(System.nanoTime() < deadline);
          Thread.onSpinWait();
        }
        try (RawHttp queued = RawHttp.connect("127.0.0.1", gw.port(), Duration.ofSeconds(5))) {
          queued.send(RawHttp.request("GET", "/queued", Map.of("Host", "a")));
          while (pool.waiting() == 0) {
            assertTrue(System.nanoTime() < deadline, "the second request never queued");
            Thread.onSpinWait();
          }
        }
        long left = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (pool.waiting() > 0) {
          assertTrue(System.nanoTime() < left, "the queue kept a client that left");
          java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
      }
    }
  }
}
