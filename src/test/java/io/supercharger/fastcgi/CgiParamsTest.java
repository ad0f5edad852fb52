package io.supercharger.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CgiParamsTest {

  private static CgiParams build(MultiMap headers, boolean https) {
    return CgiParams.builder("/srv/app/public/", "index.php")
        .request("POST", "/api/a%20b/7?x=1&y=2", headers)
        .remote("10.0.0.9", 40123)
        .server("shop.example", "10.0.0.1", 8443)
        .https(https)
        .build();
  }

  @Test
  void frontControllerVariables() {
    CgiParams p = build(MultiMap.caseInsensitiveMultiMap(), true);
    assertEquals("/srv/app/public/index.php", p.get("SCRIPT_FILENAME"));
    assertEquals("/index.php", p.get("SCRIPT_NAME"));
    assertEquals("/api/a b/7", p.get("PATH_INFO"));
    assertEquals("/api/a%20b/7?x=1&y=2", p.get("REQUEST_URI"));
    assertEquals("x=1&y=2", p.get("QUERY_STRING"));
    assertEquals("/srv/app/public", p.get("DOCUMENT_ROOT"));
    assertEquals("POST", p.get("REQUEST_METHOD"));
    assertEquals("CGI/1.1", p.get("GATEWAY_INTERFACE"));
    assertEquals("10.0.0.9", p.get("REMOTE_ADDR"));
    assertEquals("40123", p.get("REMOTE_PORT"));
    assertEquals("shop.example", p.get("SERVER_NAME"));
    assertEquals("8443", p.get("SERVER_PORT"));
    assertEquals("HTTP/1.1", p.get("SERVER_PROTOCOL"));
    assertEquals("on", p.get("HTTPS"));
    assertNull(build(MultiMap.caseInsensitiveMultiMap(), false).get("HTTPS"));
  }

  @Test
  void headersBecomeHttpVariablesJoinedAndFiltered() {
    MultiMap h =
        MultiMap.caseInsensitiveMultiMap()
            .add("X-Request-Id", "r1")
            .add("Accept", "text/html")
            .add("Accept", "application/json")
            .add("Cookie", "a=1")
            .add("Cookie", "b=2")
            .add("Proxy", "http://evil:3128") // httpoxy
            .add("X_Forwarded_For", "1.2.3.4") // would collide with HTTP_X_FORWARDED_FOR
            .add("Content-Type", "application/json")
            .add("Content-Length", "99");
    CgiParams p = build(h, false);
    assertEquals("r1", p.get("HTTP_X_REQUEST_ID"));
    assertEquals("text/html, application/json", p.get("HTTP_ACCEPT"));
    assertEquals("a=1; b=2", p.get("HTTP_COOKIE"));
    assertNull(p.get("HTTP_PROXY"));
    assertNull(p.get("HTTP_X_FORWARDED_FOR"));
    assertFalse(
        p.asMap().keySet().stream()
            .anyMatch(k -> k.contains("X_Forwarded") || k.equals("HTTP_CONTENT_LENGTH")));
    assertEquals("application/json", p.get("CONTENT_TYPE"));
    assertEquals("0", p.get("CONTENT_LENGTH"), "set by the client from the body it streams");
    assertEquals("1234", p.withContentLength(1234).get("CONTENT_LENGTH"));
  }

  /** Guards against executing uploads or config files: only a .php front controller may run. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "index.html",
        "index.php.txt",
        "uploads/x.jpg",
        ".php",
        "index.PHP",
        "../index.php",
        "/index.php"
      })
  void nonPhpOrEscapingIndexIsRefused(String index) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CgiParams.builder("/srv/app", index));
    assertTrue(e.getMessage().startsWith("fastcgi.index: "), e.getMessage());
  }

  @Test
  void relativeDocumentRootIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> CgiParams.builder("srv/app", "index.php"));
  }
}
