package io.supercharger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.testing.MisbehavingServer;
import io.supercharger.testing.PhpStack;
import io.supercharger.testing.RawHttp;
import io.supercharger.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients that upload slowly, dribble their heads, speak HTTP/1.0 or expect 100-continue: each gets
 * the right answer, and none of them can tie up FPM's few children.
 */
class SlowAndOddClientsTest {
  static PhpStack php;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    php = PhpStack.start(0, 1, 0);
    gw =
        TestGateway.start(
            """
        security: {mode: "off"}
        timeouts: {response_ms: 1500, body_read_ms: 500, header_read_ms: 400, idle_ms: 900}
        limits: {max_body_bytes: 8388608}
        pools:
          fpm: {engine: fpm, instances: ["%s"], fastcgi: {document_root: "%s", max_children: 1}, queue_timeout_ms: 3000}
        """
                .formatted(php.fpm.address(), php.fpm.documentRoot()));
  }

  @AfterAll
  static void stop() {
    gw.close();
    php.close();
  }

  @Test
  void aStalledChunkedUploadGets408AndNeverHoldsTheOnlyFpmChild() throws Exception {
    try (RawHttp slow = RawHttp.connect("127.0.0.1", gw.port(), Duration.ofSeconds(5))) {
      slow.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n");
      // The upload is read before an FPM slot is taken, so other clients are served meanwhile.
      assertEquals(200, gw.get("/echo").statusCode());
      assertEquals(408, slow.read().status());
    }
  }

  @Test
  void aLargeChunkedUploadIsSpooledToDiskAndArrivesByteExact() throws Exception {
    byte[] body = new byte[3 << 20];
    new Random(3).nextBytes(body);
    var request =
        java.net.http.HttpRequest.newBuilder(gw.uri("/echo"))
            .timeout(Duration.ofSeconds(30))
            .POST(
                java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(body)))
            .build();
    var r = gw.http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    JsonObject echo = new JsonObject(r.body());
    assertEquals(body.length, echo.getInteger("body_length"));
    assertEquals(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)),
        echo.getString("body_sha256"));
  }

  /**
   * Bodies just past the memory budget, sent in one write with their last chunk: the spill to a
   * file starts with the rest of the body, and its end, already on the way.
   */
  @ParameterizedTest
  @ValueSource(ints = {(1 << 20) + 1, (1 << 20) + 65_536})
  void aChunkedBodyJustPastTheMemoryBudgetArrivesByteExact(int size) throws Exception {
    byte[] body = new byte[size];
    new Random(size).nextBytes(body);
    java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
    raw.writeBytes(
        "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
    for (int at = 0; at < size; at += 16_384) {
      int n = Math.min(16_384, size - at);
      raw.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      raw.write(body, at, n);
      raw.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    raw.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    try (RawHttp http = RawHttp.connect("127.0.0.1", gw.port())) {
      RawHttp.Response r = http.send(raw.toByteArray()).read();
      assertEquals(200, r.status(), r.bodyText());
      JsonObject echo = new JsonObject(r.bodyText());
      assertEquals(size, echo.getInteger("body_length"));
      assertEquals(
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)),
          echo.getString("body_sha256"));
    }
  }

  @Test
  void aSteadySlowUploadLongerThanResponseMsIsNotATimeout() throws Exception {
    try (Socket s = new Socket("127.0.0.1", gw.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      long end = System.nanoTime() + Duration.ofMillis(2000).toNanos();
      for (int i = 0; i < 10; i++) {
        out.write('x');
        out.flush();
        // 10 bytes over 2 s: never stalled for body_read_ms (500), longer than response_ms in
        // total.
        LockSupport.parkNanos(Math.max(0, (end - System.nanoTime()) / (10 - i)));
      }
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(response.startsWith("HTTP/1.1 200"), response.lines().findFirst().orElse(""));
    }
  }

  @Test
  void http10KeepAliveWithoutALengthEndsWithTheConnection() throws Exception {
    // An upstream that sends no length: its body ends when it closes.
    MisbehavingServer.Behaviour noLength =
        (head, in, out) ->
            out.write(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nhello, old client"
                    .getBytes(StandardCharsets.US_ASCII));
    try (MisbehavingServer upstream = MisbehavingServer.start(noLength);
        TestGateway lengthless =
            TestGateway.start(
                """
            security: {mode: "off"}
            pools: {app: {engine: roadrunner, instances: ["%s"]}}
            """
                    .formatted(upstream.address()));
        Socket s = new Socket("127.0.0.1", lengthless.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream()
          .write(
              "GET /x HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      // HTTP/1.0 has no chunks: the gateway must close to end the body, whatever keep-alive asked.
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(response.startsWith("HTTP/1.0 200"), response);
      assertTrue(
          response.endsWith("\r\n\r\nhello, old client"), "all of it, then the close: " + response);
    }
  }

  @Test
  void aRefusedUploadClosesTheConnectionInsteadOfWaitingForTheBody() {
    try (RawHttp c = RawHttp.connect("127.0.0.1", gw.port(), Duration.ofSeconds(5))) {
      c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999\r\n\r\nsome of it");
      assertEquals(413, c.read().status());
      assertTrue(c.awaitClosedByPeer(Duration.ofSeconds(3)));
    }
  }

  @Test
  void expectContinueIsNotAnsweredWhenTheBodyWillBeRefused() throws Exception {
    try (Socket s = new Socket("127.0.0.1", gw.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream()
          .write(
              ("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999\r\n"
                      + "Expect: 100-continue\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      String first = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
      assertEquals("HTTP/1.1 413", first, "no 100 Continue before the refusal");
    }
  }

  @Test
  void expectContinueIsAnsweredWhenTheBodyIsWanted() throws Exception {
    try (Socket s = new Socket("127.0.0.1", gw.port())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(
          "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      assertEquals("HTTP/1.1 100", new String(in.readNBytes(12), StandardCharsets.ISO_8859_1));
      out.write("hello".getBytes(StandardCharsets.US_ASCII));
      String rest = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(rest.contains("HTTP/1.1 200") && rest.contains("\"body_length\":5"), rest);
    }
  }

  @Test
  void aDribbledSecondRequestHeadIsCutOff() {
    try (RawHttp c = RawHttp.connect("127.0.0.1", gw.port(), Duration.ofSeconds(6))) {
      c.send(RawHttp.request("GET", "/echo", Map.of("Host", "a")));
      assertEquals(200, c.read().status());
      long start = System.nanoTime();
      c.send("GET /echo HTTP/1.1\r\nHost: a\r\n");
      boolean closed = false;
      for (int i = 0; i < 40 && !closed; i++) {
        try {
          c.send("X-Drip: 1\r\n"); // a byte every 100 ms resets any idle timer
          closed = c.awaitClosedByPeer(Duration.ofMillis(100));
        } catch (RuntimeException e) {
          closed = true;
        }
      }
      assertTrue(closed, "still open after 4 s");
      assertTrue(System.nanoTime() - start < Duration.ofSeconds(3).toNanos());
    }
  }

  /** Spooled bodies this JVM still holds: files on disk, and descriptors of deleted ones. */
  private static long spooledFilesAndDescriptors() throws Exception {
    long files;
    try (var listing =
        java.nio.file.Files.list(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")))) {
      files =
          listing.filter(p -> p.getFileName().toString().startsWith("supercharger-body-")).count();
    }
    long descriptors = 0;
    try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
      for (var fd : fds.toList()) {
        try {
          if (java.nio.file.Files.readSymbolicLink(fd).toString().contains("supercharger-body-")) {
            descriptors++;
          }
        } catch (java.io.IOException gone) {
          // the descriptor closed while listing
        }
      }
    }
    return files + descriptors;
  }

  @Test
  void spooledBodiesLeaveNoFileAndNoDescriptorBehindEvenWhenTheClientLeaves() throws Exception {
    long before = spooledFilesAndDescriptors();
    byte[] chunk = new byte[64 * 1024];
    String head = "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int round = 0; round < 4; round++) {
      try (Socket s = new Socket("127.0.0.1", gw.port())) {
        OutputStream out = s.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 32; i++) { // 2 MiB: past the memory budget, so it goes to disk
          out.write(
              (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        if (round % 2 == 1) {
          // Half the clients read their answer; the others leave as soon as the body is sent.
          assertTrue(
              new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1)
                  .startsWith("HTTP/1.1 200"));
        }
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (spooledFilesAndDescriptors() > before) {
      assertTrue(
          System.nanoTime() < deadline,
          "spooled files or descriptors left: " + (spooledFilesAndDescriptors() - before));
      LockSupport.parkNanos(50_000_000);
    }
  }
}
