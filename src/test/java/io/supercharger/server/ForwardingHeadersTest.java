package io.supercharger.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.testing.PhpStack;
import io.supercharger.testing.RawHttp;
import io.supercharger.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What PHP sees of hop-by-hop and forwarding headers, with and without a trusted proxy in front.
 */
class ForwardingHeadersTest {
  static PhpStack php;

  @BeforeAll
  static void start() throws Exception {
    php = PhpStack.start(1, 1, 0);
  }

  @AfterAll
  static void stop() {
    php.close();
  }

  private static TestGateway gateway(String trustedProxies) throws Exception {
    return TestGateway.start(
        """
        security: {mode: "off", trusted_proxies: %s}
        pools:
          worker: {engine: php-worker, instances: %s}
          fpm: {engine: fpm, instances: ["%s"], fastcgi: {document_root: "%s", max_children: 1}}
        split: {weights: {worker: 50, fpm: 50}}
        """
            .formatted(
                trustedProxies, php.workerInstances(), php.fpm.address(), php.fpm.documentRoot()));
  }

  /**
   * Sends a request full of headers a client should not be able to smuggle, returns the echo's
   * headers.
   */
  private static JsonObject echoHeaders(TestGateway gw, String pool) throws Exception {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Host", "shop.example");
    h.put("Connection", "keep-alive, X-Hop-Secret");
    h.put("X-Hop-Secret", "1");
    h.put("Keep-Alive", "timeout=5");
    h.put("TE", "trailers");
    h.put("Proxy-Authorization", "Basic Zm9vOmJhcg==");
    h.put("Proxy", "http://evil.example");
    h.put("X-Forwarded-For", "6.6.6.6");
    h.put("X-Forwarded-Proto", "https");
    h.put("X-Forwarded-Host", "evil.example");
    h.put("Forwarded", "for=6.6.6.6");
    h.put("X-Request-Id", "chosen-by-client");
    h.put("X-Supercharger-Pool", pool);
    h.put("X-End-To-End", "kept");
    try (RawHttp raw = RawHttp.connect("127.0.0.1", gw.port())) {
      raw.send(RawHttp.request("GET", "/echo", h));
      RawHttp.Response r = raw.read();
      assertEquals(200, r.status(), r.bodyText());
      JsonObject headers = new JsonObject(r.bodyText()).getJsonObject("headers");
      JsonObject lower = new JsonObject();
      headers.forEach(e -> lower.put(e.getKey().toLowerCase(), e.getValue()));
      return lower;
    }
  }

  @ParameterizedTest(name = "{0}: an untrusted client's forwarding headers are replaced")
  @CsvSource({"worker", "fpm"})
  void untrustedClient(String pool) throws Exception {
    try (TestGateway gw = gateway("[]")) {
      JsonObject h = echoHeaders(gw, pool);
      assertEquals("kept", h.getString("x-end-to-end"));
      for (String gone :
          new String[] {
            "x-hop-secret", "keep-alive", "te", "proxy-authorization", "proxy", "forwarded"
          }) {
        assertNull(h.getValue(gone), gone + " must not reach PHP: " + h);
      }
      assertEquals("127.0.0.1", h.getString("x-forwarded-for"));
      assertEquals("http", h.getString("x-forwarded-proto"));
      assertEquals("shop.example", h.getString("x-forwarded-host"));
      String id = h.getString("x-request-id");
      assertNotEquals("chosen-by-client", id);
      assertTrue(id.matches("[0-9a-f]{32}"), id);
      assertFalse(
          h.containsKey("connection") && h.getString("connection").contains("X-Hop-Secret"));
    }
  }

  @ParameterizedTest(name = "{0}: a trusted proxy's forwarding headers are believed and extended")
  @CsvSource({"worker", "fpm"})
  void trustedProxy(String pool) throws Exception {
    try (TestGateway gw = gateway("[127.0.0.1/32]")) {
      JsonObject h = echoHeaders(gw, pool);
      assertEquals("6.6.6.6, 127.0.0.1", h.getString("x-forwarded-for"));
      assertEquals("https", h.getString("x-forwarded-proto"));
      assertEquals("evil.example", h.getString("x-forwarded-host"));
      assertEquals("chosen-by-client", h.getString("x-request-id"));
      assertNull(h.getValue("proxy"), "httpoxy: never passed, even from a trusted proxy");
    }
  }
}
