package io.supercharger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.testing.PhpStack;
import io.supercharger.testing.RawHttp;
import io.supercharger.testing.TestGateway;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad or abusive requests get the status the design names, and the upstream never sees them. */
class RequestLimitsTest {
  static PhpStack php;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    php = PhpStack.start(1, 1, 0);
    gw =
        TestGateway.start(
            """
        security: {mode: "off"}
        timeouts: {header_read_ms: 300, body_read_ms: 300}
        limits: {max_header_bytes: 4096, max_request_line_bytes: 1024, max_body_bytes: 65536}
        pools:
          worker: {engine: php-worker, instances: %s}
          fpm: {engine: fpm, instances: ["%s"], fastcgi: {document_root: "%s", max_children: 1}}
        split: {weights: {worker: 50, fpm: 50}}
        """
                .formatted(php.workerInstances(), php.fpm.address(), php.fpm.documentRoot()));
  }

  @AfterAll
  static void stop() {
    gw.close();
    php.close();
  }

  private static RawHttp.Response send(String raw) {
    try (RawHttp c = RawHttp.connect("127.0.0.1", gw.port(), Duration.ofSeconds(5))) {
      c.send(raw);
      return c.read();
    }
  }

  @Test
  void oversizedHeaderBlockGets431() {
    String big = "x".repeat(5000);
    assertEquals(
        431,
        send("GET /api/categories HTTP/1.1\r\nHost: a\r\nX-Big: " + big + "\r\n\r\n").status());
  }

  @Test
  void oversizedRequestLineGets414() {
    assertEquals(
        414,
        send("GET /api/categories?q=" + "y".repeat(2000) + " HTTP/1.1\r\nHost: a\r\n\r\n")
            .status());
  }

  @ParameterizedTest(name = "{0}: a declared body over max_body_bytes gets 413")
  @CsvSource({"worker", "fpm"})
  void declaredBodyTooLargeGets413(String pool) {
    assertEquals(
        413,
        send("POST /api/orders HTTP/1.1\r\nHost: a\r\nX-Supercharger-Pool: "
                + pool
                + "\r\nContent-Length: 70000\r\n\r\n")
            .status());
  }

  @ParameterizedTest(name = "{0}: a chunked body that grows past max_body_bytes gets 413")
  @CsvSource({"worker", "fpm"})
  void chunkedBodyTooLargeGets413(String pool) {
    try (RawHttp c = RawHttp.connect("127.0.0.1", gw.port(), Duration.ofSeconds(5))) {
      c.send(
          "POST /api/orders HTTP/1.1\r\nHost: a\r\nX-Supercharger-Pool: "
              + pool
              + "\r\nTransfer-Encoding: chunked\r\n\r\n");
      String chunk = Integer.toHexString(16384) + "\r\n" + "z".repeat(16384) + "\r\n";
      for (int i = 0; i < 5; i++) {
        c.send(chunk);
      }
      assertEquals(413, c.read().status());
    }
  }

  @ParameterizedTest(name = "{0}: a body that stalls gets 408")
  @CsvSource({"worker", "fpm"})
  void stalledBodyGets408(String pool) {
    try (RawHttp c = RawHttp.connect("127.0.0.1", gw.port(), Duration.ofSeconds(5))) {
      c.send(
          "POST /api/orders HTTP/1.1\r\nHost: a\r\nX-Supercharger-Pool: "
              + pool
              + "\r\nContent-Length: 100\r\n\r\nonly part");
      assertEquals(408, c.read().status());
    }
  }

  @Test
  void aClientThatNeverFinishesItsHeadIsDisconnected() {
    try (RawHttp c = RawHttp.connect("127.0.0.1", gw.port(), Duration.ofSeconds(5))) {
      c.send("GET /api/categories HTTP/1.1\r\nHost: a\r\nX-Slow: ");
      assertTrue(c.awaitClosedByPeer(Duration.ofSeconds(3)), "slowloris connection must be closed");
    }
  }

  @Test
  void aPathEscapingTheRootGets400() {
    assertEquals(400, send(RawHttp.request("GET", "/../etc/passwd", Map.of("Host", "a"))).status());
  }

  @Test
  void malformedContentLengthGets400() {
    assertEquals(
        400,
        send("POST /api/orders HTTP/1.1\r\nHost: a\r\nContent-Length: 12abc\r\n\r\n").status());
  }

  @Test
  void keepAliveSurvivesManyRequestsOnOneConnection() {
    try (RawHttp c = RawHttp.connect("127.0.0.1", gw.port(), Duration.ofSeconds(5))) {
      for (int i = 0; i < 50; i++) {
        c.send(RawHttp.request("GET", "/api/categories", Map.of("Host", "a")));
        assertEquals(200, c.read().status());
      }
    }
  }
}
