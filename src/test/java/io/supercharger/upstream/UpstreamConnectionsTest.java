package io.supercharger.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.testing.KeepAliveServer;
import io.supercharger.testing.MisbehavingServer;
import io.supercharger.testing.RawHttp;
import io.supercharger.testing.TestGateway;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gateway's keep-alive connections to HTTP upstreams, against a real server that keeps its
 * connections open: reuse, the upstream's right to close, interim answers, upload framing and the
 * idle limit.
 */
class UpstreamConnectionsTest {

  private static TestGateway gateway(String instance, int idleMs) throws Exception {
    return TestGateway.start(
        """
        security: {mode: "off"}
        timeouts: {idle_ms: %d}
        pools: {app: {engine: roadrunner, instances: ["%s"]}}
        routes:
          - {name: api, path: /api, methods: [GET, HEAD, POST], class: read}
        """
            .formatted(idleMs, instance));
  }

  @Test
  void sequentialRequestsShareOneUpstreamConnection() throws Exception {
    try (KeepAliveServer upstream = KeepAliveServer.start(KeepAliveServer.OK);
        TestGateway gw = gateway(upstream.address(), 60_000)) {
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> r = gw.get("/api/items");
        assertEquals(200, r.statusCode());
        assertEquals("ok", r.body());
      }
      List<KeepAliveServer.Connection> used = upstream.used();
      assertEquals(1, used.size(), "one client connection, one loop, one upstream connection");
      assertEquals(20, used.get(0).requests.get());
    }
  }

  @Test
  void aConnectionTheUpstreamSaysItClosesIsNotReused() throws Exception {
    KeepAliveServer.Answer closing =
        (n, head, body, out) -> {
          out.write(
              "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok".getBytes());
          // Says it closes, yet keeps the socket open: only the gateway's reading of the header
          // keeps it from sending the next request on the same connection.
          return true;
        };
    try (KeepAliveServer upstream = KeepAliveServer.start(closing);
        TestGateway gw = gateway(upstream.address(), 60_000)) {
      for (int i = 0; i < 5; i++) {
        assertEquals(200, gw.get("/api/items").statusCode());
      }
      assertEquals(5, upstream.used().size());
      upstream.used().forEach(c -> assertEquals(1, c.requests.get()));
    }
  }

  @Test
  void aConnectionTheUpstreamDroppedSilentlyCostsNoError() throws Exception {
    // Answers keep-alive, then closes anyway (an engine restarting between requests).
    KeepAliveServer.Answer dropping =
        (n, head, body, out) -> {
          out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes());
          return false;
        };
    try (KeepAliveServer upstream = KeepAliveServer.start(dropping);
        TestGateway gw = gateway(upstream.address(), 60_000)) {
      for (int i = 0; i < 20; i++) {
        assertEquals(200, gw.get("/api/items").statusCode(), "request " + i);
      }
    }
  }

  @Test
  void interimResponsesAreSkippedAndTheConnectionStaysUsable() throws Exception {
    KeepAliveServer.Answer hints =
        (n, head, body, out) -> {
          out.write(
              ("HTTP/1.1 103 Early Hints\r\nLink: </app.css>; rel=preload\r\n\r\n"
                      + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal")
                  .getBytes());
          return true;
        };
    try (KeepAliveServer upstream = KeepAliveServer.start(hints);
        TestGateway gw = gateway(upstream.address(), 60_000)) {
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r = gw.get("/api/items");
        assertEquals(200, r.statusCode());
        assertEquals("final", r.body());
      }
      assertEquals(1, upstream.used().size());
    }
  }

  /**
   * A HEAD's answer has no body, whatever its Content-Length says, also after an interim answer:
   * the exchange ends at the head and the client's next request is served at once.
   */
  @Test
  void aHeadAnsweredAfterEarlyHintsEndsAtItsHead() throws Exception {
    KeepAliveServer.Answer hints =
        (n, head, body, out) -> {
          String answer = head.startsWith("HEAD ") ? "" : "final";
          out.write(
              ("HTTP/1.1 103 Early Hints\r\nLink: </app.css>; rel=preload\r\n\r\n"
                      + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                      + answer)
                  .getBytes(StandardCharsets.US_ASCII));
          return true;
        };
    try (KeepAliveServer upstream = KeepAliveServer.start(hints);
        TestGateway gw = gateway(upstream.address(), 60_000);
        RawHttp client = RawHttp.connect("127.0.0.1", gw.port())) {
      client.send(RawHttp.request("HEAD", "/api/items", Map.of()));
      RawHttp.Response head = client.readHead();
      assertEquals(200, head.status());
      assertEquals("5", head.header("Content-Length").orElse(null));
      client.send(RawHttp.request("GET", "/api/items", Map.of()));
      assertEquals("final", client.read().bodyText());
      assertEquals(1, upstream.used().size());
    }
  }

  @Test
  void uploadsGoUpWithTheirLengthOrChunked() throws Exception {
    KeepAliveServer.Answer echo =
        (n, head, body, out) -> {
          String framing =
              head.toLowerCase().contains("transfer-encoding: chunked") ? "chunked" : "length";
          byte[] answer = (framing + ":" + new String(body, StandardCharsets.UTF_8)).getBytes();
          out.write(
              ("HTTP/1.1 200 OK\r\nContent-Length: " + answer.length + "\r\n\r\n").getBytes());
          out.write(answer);
          return true;
        };
    try (KeepAliveServer upstream = KeepAliveServer.start(echo);
        TestGateway gw = gateway(upstream.address(), 60_000)) {
      HttpResponse<String> sized =
          gw.http.send(
              HttpRequest.newBuilder(gw.uri("/api/items"))
                  .POST(HttpRequest.BodyPublishers.ofString("name=books"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals("length:name=books", sized.body());
      // A publisher of unknown length makes the client send chunks; so must the gateway.
      HttpResponse<String> chunked =
          gw.http.send(
              HttpRequest.newBuilder(gw.uri("/api/items"))
                  .POST(
                      HttpRequest.BodyPublishers.fromPublisher(
                          HttpRequest.BodyPublishers.ofString("a".repeat(100_000))))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals("chunked:" + "a".repeat(100_000), chunked.body());
      assertEquals(1, upstream.used().size(), "both uploads on one kept connection");
    }
  }

  @Test
  void anIdleConnectionIsClosedAfterIdleMs() throws Exception {
    try (KeepAliveServer upstream = KeepAliveServer.start(KeepAliveServer.OK);
        TestGateway gw = gateway(upstream.address(), 300)) {
      assertEquals(200, gw.get("/api/items").statusCode());
      KeepAliveServer.Connection c = upstream.used().get(0);
      assertTrue(
          c.closedByPeer.await(5, TimeUnit.SECONDS),
          "the gateway never closed its idle connection");
      long idleMs = (c.closedByPeerNanos - c.lastResponseNanos) / 1_000_000;
      assertTrue(idleMs >= 250, "closed after " + idleMs + " ms of idleness");
    }
  }

  @Test
  void earlyAnswersToConcurrentUploadsNeverCostAConnectFailure() throws Exception {
    // Answers before reading the upload, then reads and drops it (as nginx's `return` does): the
    // gateway ends each such upstream socket while new ones are being opened on the same loop. A
    // new socket must never receive an event meant for a closed one whose descriptor number it
    // reused, which showed as connect failures (502), then 503s once the instance was marked down.
    try (MisbehavingServer upstream =
            MisbehavingServer.start(
                (head, in, out) -> {
                  out.write(
                      "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"
                          .getBytes());
                  out.flush();
                  in.transferTo(OutputStream.nullOutputStream());
                });
        TestGateway gw = gateway(upstream.address(), 60_000)) {
      byte[] body = new byte[256 * 1024];
      ExecutorService clients = Executors.newFixedThreadPool(8);
      List<Future<List<Integer>>> runs = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        runs.add(
            clients.submit(
                () -> {
                  List<Integer> statuses = new ArrayList<>();
                  for (int n = 0; n < 25; n++) {
                    try {
                      statuses.add(
                          gw.http
                              .send(
                                  HttpRequest.newBuilder(gw.uri("/api/upload"))
                                      .timeout(java.time.Duration.ofSeconds(20))
                                      .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                      .build(),
                                  HttpResponse.BodyHandlers.discarding())
                              .statusCode());
                    } catch (IOException cutWhileUploading) {
                      // The gateway closes a connection whose upload was answered early; a
                      // client still sending may see that instead of the answer.
                    }
                  }
                  return statuses;
                }));
      }
      List<Integer> failures = new ArrayList<>();
      int answered = 0;
      for (Future<List<Integer>> run : runs) {
        List<Integer> statuses = run.get(120, TimeUnit.SECONDS);
        answered += statuses.size();
        statuses.stream().filter(s -> s != 200).forEach(failures::add);
      }
      clients.shutdown();
      assertEquals(List.of(), failures);
      // Most clients hear their answer; a test where every upload was cut would prove nothing.
      assertTrue(answered >= 100, answered + " of 200 uploads answered");
      assertTrue(
          gw.get("/metrics")
              .body()
              .contains("gateway_upstream_errors_total{kind=\"connect\",pool=\"app\"} 0.0"));
    }
  }
}
