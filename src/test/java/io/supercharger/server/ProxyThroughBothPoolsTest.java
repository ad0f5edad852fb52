package io.supercharger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.testing.PhpStack;
import io.supercharger.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GET and POST through the worker pool (HTTP) and the FPM pool (FastCGI), with real PHP behind. */
class ProxyThroughBothPoolsTest {
  static PhpStack php;
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    php = PhpStack.start(2, 2, 0);
    gw =
        TestGateway.start(
            """
        security: {mode: "off"}
        pools:
          worker: {engine: php-worker, protocol: http, instances: %s}
          fpm:
            engine: fpm
            instances: ["%s"]
            fastcgi: {document_root: "%s", index: index.php, max_children: 2}
        split: {weights: {worker: 50, fpm: 50}}
        """
                .formatted(php.workerInstances(), php.fpm.address(), php.fpm.documentRoot()));
  }

  @AfterAll
  static void stop() {
    gw.close();
    php.close();
  }

  @ParameterizedTest(name = "{0} serves GET with the query intact")
  @CsvSource({"worker, cli", "fpm, fpm-fcgi"})
  void getReachesThePoolWithItsQuery(String pool, String sapi) throws Exception {
    HttpResponse<String> r = gw.get("/echo/a%20b?x=1&y=two", "X-Supercharger-Pool", pool);
    assertEquals(200, r.statusCode(), r.body());
    JsonObject echo = new JsonObject(r.body());
    assertEquals(sapi, echo.getString("sapi"));
    assertEquals("/echo/a%20b?x=1&y=two", echo.getString("uri"));
    assertEquals("two", echo.getJsonObject("query").getString("y"));
    assertEquals("GET", echo.getString("method"));
  }

  @ParameterizedTest(name = "{0} receives a 1 MiB POST body byte-exact")
  @CsvSource({"worker", "fpm"})
  void largeBodyArrivesByteExact(String pool) throws Exception {
    byte[] body = new byte[1 << 20];
    new Random(42).nextBytes(body);
    HttpResponse<String> r =
        gw.post(
            "/echo/upload",
            body,
            "X-Supercharger-Pool",
            pool,
            "Content-Type",
            "application/octet-stream");
    assertEquals(200, r.statusCode(), r.body());
    JsonObject echo = new JsonObject(r.body());
    assertEquals(body.length, echo.getInteger("body_length"));
    assertEquals(sha256(body), echo.getString("body_sha256"));
  }

  @ParameterizedTest(name = "{0} receives a chunked request body")
  @CsvSource({"worker", "fpm"})
  void chunkedBodyIsDelivered(String pool) throws Exception {
    byte[] body = new byte[300_000];
    new Random(7).nextBytes(body);
    // An InputStream publisher has no known length, so the client sends Transfer-Encoding: chunked.
    HttpRequest request =
        HttpRequest.newBuilder(gw.uri("/api/orders"))
            .timeout(Duration.ofSeconds(20))
            .header("X-Supercharger-Pool", pool)
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();
    HttpResponse<String> r = gw.http.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(2, r.statusCode() / 100, r.body());
    JsonObject created = new JsonObject(r.body());
    assertEquals(body.length, created.getInteger("body_length"), r.body());
    assertEquals(sha256(body), created.getString("body_sha256"));
  }

  @ParameterizedTest(name = "{0}: the upstream's status reaches the client")
  @CsvSource({"worker", "fpm"})
  void upstreamStatusPassesThrough(String pool) throws Exception {
    assertEquals(404, gw.get("/nope", "X-Supercharger-Pool", pool).statusCode());
    assertEquals(
        503, gw.get("/api/categories?status=503", "X-Supercharger-Pool", pool).statusCode());
  }

  @ParameterizedTest(name = "{0}: HEAD has the length and no body")
  @CsvSource({"worker", "fpm"})
  void headHasNoBody(String pool) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(gw.uri("/api/categories"))
            .header("X-Supercharger-Pool", pool)
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> r = gw.http.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals("", r.body());
    assertTrue(r.headers().firstValue("X-Served-By-Sapi").isPresent());
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
