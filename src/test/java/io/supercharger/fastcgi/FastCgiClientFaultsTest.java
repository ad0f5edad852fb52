package io.supercharger.fastcgi;

import static io.supercharger.fastcgi.FastCgiException.Kind.CONNECT;
import static io.supercharger.fastcgi.FastCgiException.Kind.RESET;
import static io.supercharger.fastcgi.FastCgiException.Kind.SATURATED;
import static io.supercharger.fastcgi.FastCgiException.Kind.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.demo.FreePort;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Misbehaving upstreams (raw TCP servers, never mocks) and the failure each must turn into. */
class FastCgiClientFaultsTest {

  private ClientHarness harness;
  private RawFcgiServer server;

  private void start(boolean keepAlive, RawFcgiServer.Scenario scenario) throws Exception {
    harness =
        new ClientHarness(
            FastCgiClientOptions.defaults().withKeepAlive(keepAlive).withTimeouts(500, 500), 1);
    server = new RawFcgiServer(harness.vertx, scenario);
  }

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private CompletableFuture<ClientHarness.Result> send(
      int port, FcgiInstanceLimit limit, String method, boolean idempotent) {
    byte[] body = method.equals("POST") ? "a=1".getBytes() : null;
    return harness.exchange(
        0,
        SocketAddress.inetSocketAddress(port, "127.0.0.1"),
        limit,
        ClientHarness.params(method, "/x", MultiMap.caseInsensitiveMultiMap()),
        body == null ? null : () -> new ClientHarness.ChunkedBody(harness.contexts[0], body, 1024),
        body == null ? 0 : body.length,
        idempotent);
  }

  private static FastCgiException failure(CompletableFuture<?> f) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    return assertInstanceOf(FastCgiException.class, e.getCause());
  }

  /**
   * Guards the worst proxy bug: a truncated body delivered as a clean end, i.e. a silently short
   * 200.
   */
  @Test
  void responseCutShortFailsTheBodyNeverEndsIt() throws Exception {
    start(
        false,
        (socket, n) -> {
          Buffer half =
              RawFcgiServer.stdout("Content-Type: text/plain\r\n\r\n")
                  .appendBuffer(RawFcgiServer.stdout("0123456789abcdef"));
          socket.write(half.getBuffer(0, half.length() - 10)).onComplete(v -> socket.close());
        });
    FastCgiException e = failure(send(server.port(), new FcgiInstanceLimit(1, 1), "GET", true));
    assertEquals(RESET, e.kind());
    assertTrue(e.requestMayHaveRun());
  }

  @Test
  void serverThatNeverAnswersTimesOut() throws Exception {
    start(false, (socket, n) -> {});
    FastCgiException e = failure(send(server.port(), new FcgiInstanceLimit(1, 1), "GET", true));
    assertEquals(TIMEOUT, e.kind());
    assertTrue(e.requestMayHaveRun());
  }

  @Test
  void refusedPortIsAConnectFailure() throws Exception {
    start(false, (socket, n) -> {});
    int closedPort = FreePort.find(); // bound, then closed: refuses
    FastCgiException e = failure(send(closedPort, new FcgiInstanceLimit(1, 1), "GET", true));
    assertEquals(CONNECT, e.kind());
    assertFalse(e.requestMayHaveRun());
  }

  @Test
  void fullWaitQueueIsSaturatedAtOnce() throws Exception {
    start(false, (socket, n) -> {});
    FcgiInstanceLimit limit = new FcgiInstanceLimit(1, 0);
    CompletableFuture<ClientHarness.Result> hanging = send(server.port(), limit, "GET", true);
    FastCgiException e = failure(send(server.port(), limit, "GET", true));
    assertEquals(SATURATED, e.kind());
    assertFalse(e.requestMayHaveRun());
    assertEquals(TIMEOUT, failure(hanging).kind());
  }

  /** FPM at pm.max_requests: END_REQUEST, then close. The next request must not see that close. */
  @Test
  void closeRightAfterEndRequestNeverReachesTheNextRequest() throws Exception {
    start(
        true,
        (socket, n) ->
            socket.write(RawFcgiServer.okResponse("r" + n)).onComplete(v -> socket.close()));
    FcgiInstanceLimit limit = new FcgiInstanceLimit(1, 8);
    CompletableFuture<ClientHarness.Result> first = send(server.port(), limit, "GET", true);
    CompletableFuture<ClientHarness.Result> second = send(server.port(), limit, "POST", false);
    assertEquals("r0", first.get(10, TimeUnit.SECONDS).text());
    assertEquals("r1", second.get(10, TimeUnit.SECONDS).text());
    assertEquals(1, limit.highWaterMark());
  }

  /**
   * Retry rule, idempotent arm: a reused socket that dies without a word is retried once, on a
   * fresh one.
   */
  @Test
  void idempotentRequestOnADeadReusedConnectionIsRetriedOnce() throws Exception {
    start(
        true,
        (socket, n) -> {
          if (n == 1) {
            socket.close(); // the child died between requests: no answer
          } else {
            socket.write(RawFcgiServer.okResponse("r" + n));
          }
        });
    FcgiInstanceLimit limit = new FcgiInstanceLimit(1, 8);
    assertEquals("r0", send(server.port(), limit, "GET", true).get(10, TimeUnit.SECONDS).text());
    assertEquals("r2", send(server.port(), limit, "GET", true).get(10, TimeUnit.SECONDS).text());
    assertEquals(2, server.connections.get());
  }

  /**
   * Retry rule, non-idempotent arm: a POST never rides a reused socket (so a stale one cannot eat
   * it), and a POST whose bytes were written is never sent twice, even if the socket then dies
   * silently.
   */
  @Test
  void nonIdempotentRequestTakesAFreshConnectionAndIsNeverResent() throws Exception {
    start(
        true,
        (socket, n) -> {
          if (n == 1) {
            socket.close();
          } else {
            socket.write(RawFcgiServer.okResponse("r" + n));
          }
        });
    FcgiInstanceLimit limit = new FcgiInstanceLimit(1, 8);
    assertEquals("r0", send(server.port(), limit, "GET", true).get(10, TimeUnit.SECONDS).text());
    FastCgiException e = failure(send(server.port(), limit, "POST", false));
    assertEquals(RESET, e.kind());
    assertTrue(e.requestMayHaveRun());
    assertEquals(2, server.requests.get(), "the POST was sent exactly once");
    assertEquals(2, server.connections.get(), "the POST did not reuse the GET's socket");
  }

  /**
   * The client went away: cancel() aborts, closes the socket and frees the slot for the next
   * request.
   */
  @Test
  void cancelAbortsAndFreesTheSlot() throws Exception {
    CompletableFuture<Buffer> abortSeen = new CompletableFuture<>();
    start(false, (socket, n) -> socket.handler(abortSeen::complete));
    FcgiInstanceLimit limit = new FcgiInstanceLimit(1, 1);
    CompletableFuture<Throwable> failed = new CompletableFuture<>();
    harness.contexts[0].runOnContext(
        v -> {
          FastCgiCall call =
              harness.clients[0].send(
                  SocketAddress.inetSocketAddress(server.port(), "127.0.0.1"),
                  limit,
                  ClientHarness.params("GET", "/", MultiMap.caseInsensitiveMultiMap()),
                  null,
                  0,
                  true,
                  StderrSink.discard());
          call.response().onFailure(failed::complete);
          harness.vertx.setTimer(50, t -> call.cancel());
        });
    FastCgiException e = assertInstanceOf(FastCgiException.class, failed.get(10, TimeUnit.SECONDS));
    assertEquals(FastCgiException.Kind.CANCELLED, e.kind());
    assertEquals(FcgiRecords.ABORT_REQUEST, abortSeen.get(10, TimeUnit.SECONDS).getUnsignedByte(1));
    assertEquals(
        TIMEOUT,
        failure(send(server.port(), limit, "GET", true)).kind(),
        "the slot was free again");
  }
}
