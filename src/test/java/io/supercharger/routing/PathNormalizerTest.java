package io.supercharger.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathNormalizerTest {

  /** The common case must not allocate: the same instance comes back. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "/",
        "/api/orders",
        "/api/orders/",
        "/api/orders/7",
        "/a/..b/.c/c./...",
        "/%2F",
        "/a%20b",
        "/%C3%A9t%C3%A9",
        "/caf\u00e9",
        "/a;b=c",
        "/index.php",
        "/x/%25"
      })
  void alreadyNormalizedPathIsReturnedAsIs(String path) {
    assertSame(path, PathNormalizer.normalize(path));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // leading slash
        "''                | /",
        "api/orders        | /api/orders",
        // unreserved escapes are decoded, others upper-cased
        "/api/%6Frders     | /api/orders",
        "/%41%7a%30%2D%2e%5F%7E | /Az0-._~",
        "/a%2fb            | /a%2Fb",
        "/a%c3%a9          | /a%C3%A9",
        "/%3f%23           | /%3F%23",
        // repeated slashes
        "//api///orders//  | /api/orders/",
        "//                | /",
        // dot segments (RFC 3986 5.2.4)
        "/a/b/../c         | /a/c",
        "/a/./b            | /a/b",
        "/a/b/..           | /a/",
        "/a/b/.            | /a/b/",
        "/a/.              | /a/",
        "/a/..             | /",
        "/.                | /",
        "/./././           | /",
        "/a/b/c/../../d/   | /a/d/",
        "/a//../b          | /b",
        // decoded dots are dot segments: guards a route (or /admin) bypass via %2E%2E
        "/api/%2E%2E/admin | /admin",
        "/api/%2e/orders   | /api/orders",
        "/api/.%2e/x       | /x",
        // encoded slash is not a boundary, so this is one segment named '..%2F'
        "/a/..%2Fb         | /a/..%2Fb",
      })
  void rewritesToTheNormalForm(String raw, String expected) {
    assertEquals(expected, PathNormalizer.normalize(raw));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/..", "/../a", "/a/../..", "/a/../../b", "/%2E%2E", "/a/%2e%2e/%2E%2E/x", // above the root
        "/%", "/%4", "/a%zz", "/%g0", "/%0g", "/%%41", // malformed escapes
        "/a\u0000b", "/a\nb", "/a\rb", "/a\tb", "/\u007f", "/a\u001f", // raw controls
        "/%00", "/a%0A", "/a%0d%0a", "/%7F", "/%1f", // encoded controls
      })
  void rejectsInvalidPaths(String raw) {
    assertNull(PathNormalizer.normalize(raw));
  }

  @Test
  void nullIsInvalid() {
    assertNull(PathNormalizer.normalize(null));
  }

  @Test
  void normalFormIsAFixedPoint() {
    String[] inputs = {"//a/./b/../%7e/%2f//", "x/y/../../z", "/%41%42/./c/"};
    for (String in : inputs) {
      String once = PathNormalizer.normalize(in);
      assertSame(once, PathNormalizer.normalize(once), in);
    }
  }
}
