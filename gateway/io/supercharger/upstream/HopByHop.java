package io.supercharger.upstream;

import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.Iterator;
import java.util.Map;

/**
 * Copies headers between hops without the hop-by-hop ones (RFC 9110 §7.6.1): the fixed list and
 * every name listed in Connection.
 */
public final class HopByHop {
  private static final String[] FIXED = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "proxy-authorization",
    "proxy-authenticate"
  };

  private HopByHop() {}

  public static boolean isFixedHopByHop(CharSequence name) {
    // Every hop-by-hop name starts with c, k, p, t or u: most headers are out after one char.
    char first = name.length() == 0 ? ' ' : (char) (name.charAt(0) | 0x20);
    if (first != 'c' && first != 'k' && first != 'p' && first != 't' && first != 'u') {
      return false;
    }
    for (String h : FIXED) {
      if (AsciiString.contentEqualsIgnoreCase(h, name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Copies {@code from} into {@code to}, leaving out hop-by-hop headers. Names and values are
   * copied as the decoder made them (Netty's ASCII strings), not turned into Java strings.
   */
  public static void copyEndToEnd(MultiMap from, MultiMap to) {
    String connection = from.get(HttpHeaders.CONNECTION);
    if (from instanceof io.netty.handler.codec.http.HttpHeaders decoded) {
      Iterator<Map.Entry<CharSequence, CharSequence>> headers = decoded.iteratorCharSequence();
      while (headers.hasNext()) {
        Map.Entry<CharSequence, CharSequence> header = headers.next();
        if (isEndToEnd(header.getKey(), connection)) {
          to.add(header.getKey(), header.getValue());
        }
      }
      return;
    }
    for (Map.Entry<String, String> header : from) {
      if (isEndToEnd(header.getKey(), connection)) {
        to.add(header.getKey(), header.getValue());
      }
    }
  }

  private static boolean isEndToEnd(CharSequence name, String connection) {
    return !isFixedHopByHop(name) && (connection == null || !listedIn(connection, name));
  }

  /** Whether {@code name} is one of the comma-separated tokens of a Connection header. */
  static boolean listedIn(String connection, CharSequence name) {
    int len = connection.length();
    int i = 0;
    while (i < len) {
      while (i < len
          && (connection.charAt(i) == ' '
              || connection.charAt(i) == ','
              || connection.charAt(i) == '\t')) {
        i++;
      }
      int start = i;
      while (i < len && connection.charAt(i) != ',') {
        i++;
      }
      int end = i;
      while (end > start
          && (connection.charAt(end - 1) == ' ' || connection.charAt(end - 1) == '\t')) {
        end--;
      }
      if (end - start == name.length()
          && AsciiString.regionMatches(connection, true, start, name, 0, end - start)) {
        return true;
      }
    }
    return false;
  }
}
