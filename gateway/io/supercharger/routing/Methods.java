package io.supercharger.routing;

import java.util.List;
import java.util.Set;

/** HTTP method names as bits, so that a route's method check is one AND. */
final class Methods {

  /** The names a route may list, in the order error messages show them. */
  static final List<String> KNOWN =
      List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

  /** The mask of a route that lists no methods: it takes every method, known or not. */
  static final int ALL = 0;

  private Methods() {}

  /**
   * The bit of a method, 0 for a name we do not know (such a request then matches only routes that
   * take every method). A switch on a string compares the cached hash first: no allocation.
   */
  static int bit(String method) {
    switch (method) {
      case "GET":
        return 1;
      case "HEAD":
        return 1 << 1;
      case "POST":
        return 1 << 2;
      case "PUT":
        return 1 << 3;
      case "PATCH":
        return 1 << 4;
      case "DELETE":
        return 1 << 5;
      case "OPTIONS":
        return 1 << 6;
      case "TRACE":
        return 1 << 7;
      case "CONNECT":
        return 1 << 8;
      default:
        return 0;
    }
  }

  /** Whether a route with {@code mask} takes a request whose method has {@code bit}. */
  static boolean accepts(int mask, int bit) {
    return mask == ALL || (mask & bit) != 0;
  }

  static boolean overlap(int a, int b) {
    return a == ALL || b == ALL || (a & b) != 0;
  }

  /** The mask of a validated set; the caller has checked every name with {@link #bit}. */
  static int mask(Set<String> methods) {
    int mask = 0;
    for (String m : methods) {
      mask |= bit(m);
    }
    return mask;
  }
}
