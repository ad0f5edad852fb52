package io.supercharger.php;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.demo.FreePort;
import io.supercharger.demo.PhpWorkerProcess;
import io.supercharger.testing.RawHttp;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker-mode runner (src/test/php/worker.php) against raw sockets: the gateway's HTTP client
 * relies on each of these behaviours, and a runner that gets one wrong shows up later as a flaky
 * gateway test instead of a clear failure here.
 */
class WorkerRunnerTest {
  private static final Path PHP_DIR = Path.of("src/test/php");
  private static final Duration READY = Duration.ofSeconds(10);
  private static final Duration EXIT = Duration.ofSeconds(10);

  private PhpWorkerProcess runner;

  @AfterEach
  void stopRunner() {
    if (runner != null) {
      runner.close();
    }
  }

  private PhpWorkerProcess start(int maxRequests, Map<String, String> env) {
    runner = PhpWorkerProcess.start(PHP_DIR, "127.0.0.1", FreePort.find(), maxRequests, env);
    runner.awaitReady(READY);
    return runner;
  }

  private RawHttp connect() {
    return RawHttp.connect(runner.host(), runner.port());
  }

  private static String get(String target) {
    return RawHttp.request("GET", target, Map.of());
  }

  /** Warm state is the point of worker mode: one process serves them all and counts them. */
  @Test
  void hundredKeepAliveRequestsOnOneConnectionAreServedByOneWarmProcess() {
    start(0, Map.of());
    try (RawHttp http = connect()) {
      for (int i = 1; i <= 100; i++) {
        RawHttp.Response response = http.send(get("/echo?i=" + i)).read();
        assertEquals(200, response.status());
        assertFalse(response.closesConnection(), "request " + i);
        assertEquals(Long.toString(runner.pid()), response.header("X-Served-By-Pid").orElseThrow());
        assertEquals(Integer.toString(i), response.header("X-Process-Requests").orElseThrow());
        assertEquals("cli", response.header("X-Served-By-Sapi").orElseThrow());
      }
    }
  }

  /** Several requests in one segment must be answered in order, none lost in the read buffer. */
  @Test
  void pipelinedRequestsInOneWriteAreAnsweredInOrder() {
    start(0, Map.of());
    try (RawHttp http = connect()) {
      http.send(get("/echo?n=1") + get("/api/categories/2") + get("/echo?n=3"));
      assertEquals("1", json(http.read()).getJsonObject("query").getString("n"));
      assertEquals(2, json(http.read()).getJsonObject("category").getInteger("id"));
      assertEquals("3", json(http.read()).getJsonObject("query").getString("n"));
    }
  }

  /** Chunk extensions and trailers are legal; the app must see exactly the decoded bytes. */
  @Test
  void chunkedRequestBodyIsDecoded() throws Exception {
    start(0, Map.of());
    byte[] body = new byte[100_000];
    new Random(42).nextBytes(body);
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(
        ("POST /echo/upload HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    int[] sizes = {1, 4095, 16384, 60000};
    int offset = 0;
    for (int size : sizes) {
      request.writeBytes(
          (Integer.toHexString(size) + ";ext=1\r\n").getBytes(StandardCharsets.ISO_8859_1));
      request.write(body, offset, size);
      request.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      offset += size;
    }
    int rest = body.length - offset;
    request.writeBytes((Integer.toHexString(rest) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    request.write(body, offset, rest);
    request.writeBytes("\r\n0\r\nX-Trailer: ignored\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

    try (RawHttp http = connect()) {
      JsonObject echo = json(http.send(request.toByteArray()).read());
      assertEquals(body.length, echo.getInteger("body_length"));
      assertEquals(sha256(body), echo.getString("body_sha256"));
      // The connection is still usable: the terminating chunk and trailer were consumed.
      assertEquals(200, http.send(get("/echo")).read().status());
    }
  }

  @Test
  void writeRouteReadsTheWholeContentLengthBody() throws Exception {
    start(0, Map.of());
    String body = "{\"item\":\"" + "x".repeat(200_000) + "\"}";
    try (RawHttp http = connect()) {
      RawHttp.Response response =
          http.send(
                  RawHttp.request(
                      "POST", "/api/orders", Map.of("Content-Type", "application/json"), body))
              .read();
      assertEquals(201, response.status());
      JsonObject order = json(response);
      assertEquals(body.length(), order.getInteger("body_length"));
      assertEquals(
          sha256(body.getBytes(StandardCharsets.ISO_8859_1)), order.getString("body_sha256"));
    }
  }

  /** A HEAD answer that carried a body would be parsed as the start of the next response. */
  @Test
  void headHasContentLengthAndNoBody() {
    start(0, Map.of());
    try (RawHttp http = connect()) {
      RawHttp.Response head =
          http.send(RawHttp.request("HEAD", "/api/categories", Map.of())).readHead();
      assertEquals(200, head.status());
      int length = Integer.parseInt(head.header("Content-Length").orElseThrow());
      assertTrue(length > 0);

      RawHttp.Response get = http.send(get("/api/categories")).read();
      assertEquals(200, get.status());
      assertEquals(length, get.body().length);
      assertTrue(get.bodyText().startsWith("{\"categories\""), get.bodyText());
    }
  }

  /**
   * A recycle sends SIGTERM while the worker may be mid-request. The request must finish (the
   * injected delay is not cut short by the signal), and the process must exit 0 so that the
   * supervisor does not count a crash.
   */
  @Test
  void sigtermDuringARequestLetsItCompleteThenExitsZero() throws Exception {
    // The app logs the start of the injected delay: SIGTERM then surely lands mid-request.
    start(0, Map.of("APP_LOG_FAULTS", "1"));
    try (RawHttp http = connect()) {
      long sent = System.nanoTime();
      http.send(get("/echo?delay_ms=500"));
      assertTrue(
          runner.output().awaitLine(line -> line.contains("fault injected: delay 500ms"), READY),
          runner.output().text());
      runner.terminate();

      RawHttp.Response response = http.read();
      assertEquals(200, response.status());
      assertEquals("/echo", json(response).getString("path"));
      assertTrue(response.closesConnection(), "a stopping worker announces the close");
      assertTrue(
          Duration.ofNanos(System.nanoTime() - sent).toMillis() >= 500, "the delay ran in full");
    }
    assertEquals(OptionalInt.of(0), runner.awaitExit(EXIT));
    assertTrue(
        runner.output().awaitLine(line -> line.contains("SIGTERM while serving a request"), EXIT),
        runner.output().text());
  }

  @Test
  void sigtermWhileIdleExitsPromptly() {
    start(0, Map.of());
    try (RawHttp idle = connect()) {
      assertEquals(200, idle.send(get("/echo")).read().status());
      runner.terminate();
      assertEquals(OptionalInt.of(0), runner.awaitExit(EXIT));
      assertTrue(idle.awaitClosedByPeer(EXIT));
    }
  }

  /**
   * Worker engines exit after N requests; the last answer must say so, or the client reuses a dead
   * socket.
   */
  @Test
  void maxRequestsClosesAfterTheLastAnswerAndExits() throws Exception {
    start(3, Map.of());
    try (RawHttp http = connect()) {
      assertFalse(http.send(get("/echo")).read().closesConnection());
      assertFalse(http.send(get("/echo")).read().closesConnection());
      RawHttp.Response third = http.send(get("/echo")).read();
      assertEquals(200, third.status());
      assertTrue(third.closesConnection());
      assertTrue(http.awaitClosedByPeer(EXIT));
    }
    assertEquals(OptionalInt.of(0), runner.awaitExit(EXIT));
    assertTrue(
        runner.output().awaitLine(line -> line.contains("served max_requests=3"), EXIT),
        runner.output().text());
  }

  /**
   * The gateway keeps one idle keep-alive connection per event loop open to each runner. A runner
   * blocked reading one connection would stall every request sent on the others.
   */
  @Test
  void anIdleOrHalfSentConnectionDoesNotBlockAnother() {
    start(0, Map.of());
    try (RawHttp a = connect();
        RawHttp b = connect()) {
      assertEquals(200, a.send(get("/echo?from=a")).read().status());
      a.send("GET /echo?from=a2 HTTP/1.1\r\nHost: te"); // half a request, then silence

      RawHttp.Response fromB = b.send(get("/echo?from=b")).read();
      assertEquals("b", json(fromB).getJsonObject("query").getString("from"));

      JsonObject fromA = json(a.send("st\r\n\r\n").read());
      assertEquals("a2", fromA.getJsonObject("query").getString("from"));
    }
  }

  @Test
  void statusPathReportsMemoryUptimeAndRequests() {
    start(50, Map.of());
    try (RawHttp http = connect()) {
      http.send(get("/echo")).read();
      http.send(get("/api/categories")).read();
      JsonObject status = json(http.send(get(PhpWorkerProcess.STATUS_PATH)).read());
      assertEquals(runner.pid(), status.getLong("pid"));
      assertTrue(status.getLong("memory_bytes") > 0, status.encode());
      assertTrue(status.getLong("rss_bytes") > 0, status.encode());
      assertTrue(status.getDouble("uptime_seconds") >= 0, status.encode());
      assertEquals(2, status.getInteger("requests_total"), "the status path itself is not counted");
      assertEquals(50, status.getInteger("max_requests"));
      assertTrue(
          status.getString("started_at").matches("\\d{4}-\\d\\d-\\d\\dT.*"), status.encode());
    }
  }

  /** Leaked state across requests only exists in worker mode; the demo relies on seeing it. */
  @Test
  void staticStateLeaksIntoALaterRequest() {
    start(0, Map.of());
    try (RawHttp http = connect()) {
      http.send(RawHttp.request("GET", "/api/messages?leak=1", Map.of("X-User-Id", "alice")))
          .read();
      RawHttp.Response later = http.send(get("/api/messages?leak=1")).read();
      assertEquals("alice", later.header("X-Current-User").orElseThrow());
      assertTrue(json(later).getJsonObject("leak").getBoolean("leaked"));
    }
  }

  @Test
  void malformedRequestGets400AndTheConnectionCloses() {
    start(0, Map.of());
    try (RawHttp http = connect()) {
      RawHttp.Response response =
          http.send("GET /echo HTTP/1.1\r\nHost: test\r\n folded: no\r\n\r\n").read();
      assertEquals(400, response.status());
      assertTrue(response.closesConnection());
      assertTrue(http.awaitClosedByPeer(EXIT));
    }
    assertTrue(runner.isAlive(), "a bad client must not take the worker down");
  }

  @Test
  void http10ClosesUnlessKeepAliveIsAsked() {
    start(0, Map.of());
    try (RawHttp http = connect()) {
      RawHttp.Response kept =
          http.send("GET /echo HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
      assertEquals("keep-alive", kept.header("Connection").orElseThrow());
      RawHttp.Response closed = http.send("GET /echo HTTP/1.0\r\n\r\n").read();
      assertTrue(closed.closesConnection());
      assertTrue(http.awaitClosedByPeer(EXIT));
    }
  }

  @Test
  void queryStatusSwitchAndUnknownApiPath() {
    start(0, Map.of());
    try (RawHttp http = connect()) {
      assertEquals(503, http.send(get("/api/categories?status=503")).read().status());
      RawHttp.Response missing = http.send(get("/api/nope")).read();
      assertEquals(404, missing.status());
      assertEquals("not found", json(missing).getString("error"));
    }
  }

  private static JsonObject json(RawHttp.Response response) {
    return new JsonObject(response.bodyText());
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
