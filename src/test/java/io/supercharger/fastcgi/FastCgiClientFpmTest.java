package io.supercharger.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.demo.PhpFpmProcess;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against a real php-fpm (pm = static, 2 children), keep-alive on. */
class FastCgiClientFpmTest {

  private static PhpFpmProcess fpm;
  private static ClientHarness harness;
  private static SocketAddress address;
  private static FcgiInstanceLimit limit;

  @BeforeAll
  static void start() throws Exception {
    fpm = ClientHarness.startFpm(2, 100);
    harness =
        new ClientHarness(
            FastCgiClientOptions.defaults().withKeepAlive(true).withTimeouts(1000, 10_000), 1);
    address = SocketAddress.inetSocketAddress(fpm.port(), "127.0.0.1");
    limit = new FcgiInstanceLimit(2, 16);
  }

  @AfterAll
  static void stop() throws Exception {
    harness.close();
    fpm.close();
  }

  private static ClientHarness.Result run(String method, String uri, MultiMap headers, byte[] body)
      throws Exception {
    CompletableFuture<ClientHarness.Result> f =
        harness.exchange(
            0,
            address,
            limit,
            ClientHarness.params(method, uri, headers),
            body == null
                ? null
                : () -> new ClientHarness.ChunkedBody(harness.contexts[0], body, 16 * 1024),
            body == null ? 0 : body.length,
            !method.equals("POST"));
    return f.get(15, TimeUnit.SECONDS);
  }

  @Test
  void getRunsTheFrontControllerWithTheRequestInCgiVariables() throws Exception {
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("X-Trace", "abc")
            .add("Accept", "a")
            .add("Accept", "b");
    ClientHarness.Result r = run("GET", "/api/orders/7?x=1&y=%20", headers, null);
    assertEquals(200, r.status());
    JsonObject echo = new JsonObject(r.text());
    assertEquals("GET", echo.getString("method"));
    assertEquals("/api/orders/7?x=1&y=%20", echo.getString("uri"));
    assertEquals("/index.php", echo.getString("script_name"));
    assertEquals("/api/orders/7", echo.getString("path_info"));
    assertEquals("x=1&y=%20", echo.getString("query"));
    assertEquals("abc", echo.getJsonObject("headers").getString("HTTP_X_TRACE"));
    assertEquals("a, b", echo.getJsonObject("headers").getString("HTTP_ACCEPT"));
    assertEquals("application/json", r.headers().get("content-type"));
  }

  @Test
  void postOfOneMebibyteArrivesByteExact() throws Exception {
    byte[] body = new byte[1 << 20];
    new Random(42).nextBytes(body);
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/octet-stream");
    JsonObject echo = new JsonObject(run("POST", "/upload", headers, body).text());
    assertEquals(body.length, echo.getInteger("len"));
    assertEquals(ClientHarness.sha256(body), echo.getString("sha256"));
    assertEquals("application/octet-stream", echo.getString("content_type"));
    assertEquals(String.valueOf(body.length), echo.getString("content_length"));
  }

  @Test
  void emptyPostStillEndsStdin() throws Exception {
    JsonObject echo =
        new JsonObject(run("POST", "/empty", MultiMap.caseInsensitiveMultiMap(), null).text());
    assertEquals("POST", echo.getString("method"));
    assertEquals(0, echo.getInteger("len"));
    assertEquals("0", echo.getString("content_length"));
  }

  @Test
  void stderrGoesToTheSinkNeverIntoTheBody() throws Exception {
    ClientHarness.Result r =
        run("GET", "/?stderr=secret-warning", MultiMap.caseInsensitiveMultiMap(), null);
    assertEquals(200, r.status());
    assertTrue(r.stderr().contains("stderr-says:secret-warning"), r.stderr());
    assertFalse(r.text().contains("stderr-says:"), r.text());
  }

  @Test
  void statusFromPhpBecomesTheResponseStatus() throws Exception {
    ClientHarness.Result r =
        run("GET", "/missing?status=404", MultiMap.caseInsensitiveMultiMap(), null);
    assertEquals(404, r.status());
    assertEquals("Not Found", r.reason());
    assertFalse(r.headers().contains("Status"));
  }

  /**
   * Guards back-pressure: a consumer that pauses after every chunk still gets every byte, in order.
   */
  @Test
  void largeResponseToASlowConsumerArrivesWhole() throws Exception {
    int size = 3 * 1024 * 1024 + 17;
    CompletableFuture<Buffer> got = new CompletableFuture<>();
    harness.contexts[0].runOnContext(
        v ->
            harness
                .clients[0]
                .send(
                    address,
                    limit,
                    ClientHarness.params(
                        "GET", "/?out=" + size, MultiMap.caseInsensitiveMultiMap()),
                    null,
                    0,
                    true,
                    StderrSink.discard())
                .response()
                .onFailure(got::completeExceptionally)
                .onSuccess(
                    r -> {
                      Buffer all = Buffer.buffer();
                      r.body().exceptionHandler(got::completeExceptionally);
                      r.body().endHandler(e -> got.complete(all));
                      r.body()
                          .handler(
                              chunk -> {
                                all.appendBuffer(chunk);
                                r.body().pause();
                                harness.vertx.setTimer(1, t -> r.body().resume());
                              });
                    }));
    Buffer body = got.get(30, TimeUnit.SECONDS);
    assertEquals(size, body.length());
    String alphabet = "abcdefghijklmnopqrstuvwxyz";
    for (int i = 0; i < size; i += 65546) {
      assertEquals(alphabet.charAt(0), (char) body.getByte(i), "chunk at " + i);
    }
    assertEquals(alphabet.charAt((size - 1) % 65546 % 26), (char) body.getByte(size - 1));
  }
}
