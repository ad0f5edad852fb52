package io.supercharger.routing;

/**
 * Normalizes the path of a request target before routing, so that a route (and a reserved endpoint)
 * cannot be dodged by spelling the same path differently: {@code /api/%6Frders}, {@code
 * //api/orders}, {@code /x/../api/orders} all route like {@code /api/orders}.
 *
 * <p>The steps follow RFC 3986 §6.2.2 in its order, because the order matters: percent-encoded
 * unreserved characters are decoded <em>before</em> dot segments are removed, so {@code
 * /a/%2E%2E/b} is {@code /b}, not a literal segment that PHP would later decode into {@code ..}.
 *
 * <ol>
 *   <li>{@code %XX} of an unreserved character (ALPHA, DIGIT, {@code - . _ ~}) is decoded; any
 *       other {@code %XX} stays encoded with upper-case hex ({@code %2f} → {@code %2F}), so an
 *       encoded slash never becomes a segment boundary;
 *   <li>repeated slashes collapse to one;
 *   <li>{@code .} and {@code ..} segments are resolved (RFC 3986 §5.2.4); a {@code ..} that would
 *       climb above the root makes the path invalid (RFC 3986 would clamp it; a client that sends
 *       it is probing, and we answer 400 instead of guessing);
 *   <li>a leading {@code /} is ensured; an empty path is {@code /}.
 * </ol>
 *
 * <p>Invalid, so {@code null} (the caller answers 400): a malformed escape ({@code %4}, {@code
 * %zz}), a control character (U+0000..U+001F, U+007F) whether raw or percent-encoded ({@code %00},
 * {@code %0A}: a decoded NUL or CR/LF is how path truncation and header injection start behind
 * PHP). Characters above U+007F are passed through untouched.
 *
 * <p>Fast path: a path that needs no change is returned as the same instance, without allocating.
 */
public final class PathNormalizer {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PathNormalizer() {}

  /**
   * Returns the normalized path, the same instance when {@code rawPath} is already normalized, or
   * {@code null} when it is invalid. {@code rawPath} is the path part of the request target,
   * without the query.
   */
  public static String normalize(String rawPath) {
    if (rawPath == null) {
      return null;
    }
    int n = rawPath.length();
    if (n == 0 || rawPath.charAt(0) != '/') {
      return rewrite(rawPath);
    }
    int segmentStart = 1;
    for (int i = 1; i < n; i++) {
      char c = rawPath.charAt(i);
      if (c == '/') {
        // An empty segment here is "//"; "." and ".." need resolving.
        if (i == segmentStart || isDotSegment(rawPath, segmentStart, i)) {
          return rewrite(rawPath);
        }
        segmentStart = i + 1;
      } else if (c == '%') {
        if (!isCanonicalEscape(rawPath, i, n)) {
          return rewrite(rawPath);
        }
        i += 2;
      } else if (isControl(c)) {
        return null;
      }
    }
    return isDotSegment(rawPath, segmentStart, n) ? rewrite(rawPath) : rawPath;
  }

  /** The slow path: decodes and collapses into a buffer, then resolves dot segments in place. */
  private static String rewrite(String raw) {
    int n = raw.length();
    // Decoding never grows the text (3 chars become 1 or 3); +1 for a missing leading slash.
    char[] buf = new char[n + 1];
    int w = 0;
    buf[w++] = '/';
    for (int i = 0; i < n; i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= n) {
          return null;
        }
        int hi = hexValue(raw.charAt(i + 1));
        int lo = hexValue(raw.charAt(i + 2));
        if (hi < 0 || lo < 0) {
          return null;
        }
        int v = hi << 4 | lo;
        if (isControl(v)) {
          return null;
        }
        if (isUnreserved(v)) {
          buf[w++] = (char) v;
        } else {
          buf[w++] = '%';
          buf[w++] = HEX[hi];
          buf[w++] = HEX[lo];
        }
        i += 2;
      } else if (c == '/') {
        if (buf[w - 1] != '/') {
          buf[w++] = '/';
        }
      } else if (isControl(c)) {
        return null;
      } else {
        buf[w++] = c;
      }
    }
    return removeDotSegments(buf, w);
  }

  /**
   * RFC 3986 §5.2.4 over {@code buf[0, len)}, which starts with '/' and has no empty segment except
   * a trailing one. Works in place: the output ({@code buf[0, w)}, "/s1/s2" without a trailing
   * slash) never overtakes the segment being read, since it is a compaction of the text already
   * read.
   */
  private static String removeDotSegments(char[] buf, int len) {
    int w = 0;
    boolean trailingSlash = false;
    int r = 1;
    while (true) {
      int e = r;
      while (e < len && buf[e] != '/') {
        e++;
      }
      boolean last = e >= len;
      int segmentLength = e - r;
      if (segmentLength == 0 || segmentLength == 1 && buf[r] == '.') {
        trailingSlash = last;
      } else if (segmentLength == 2 && buf[r] == '.' && buf[r + 1] == '.') {
        if (w == 0) {
          return null;
        }
        do {
          w--;
        } while (buf[w] != '/');
        trailingSlash = last;
      } else {
        buf[w++] = '/';
        System.arraycopy(buf, r, buf, w, segmentLength);
        w += segmentLength;
        trailingSlash = false;
      }
      if (last) {
        break;
      }
      r = e + 1;
    }
    if (trailingSlash || w == 0) {
      buf[w++] = '/';
    }
    return new String(buf, 0, w);
  }

  private static boolean isDotSegment(String s, int from, int to) {
    int length = to - from;
    return length == 1 && s.charAt(from) == '.'
        || length == 2 && s.charAt(from) == '.' && s.charAt(from + 1) == '.';
  }

  /** An escape the fast path may keep: upper-case hex of a character that must stay encoded. */
  private static boolean isCanonicalEscape(String s, int i, int n) {
    if (i + 2 >= n) {
      return false;
    }
    char h = s.charAt(i + 1);
    char l = s.charAt(i + 2);
    int hi = upperHexValue(h);
    int lo = upperHexValue(l);
    if (hi < 0 || lo < 0) {
      return false;
    }
    int v = hi << 4 | lo;
    return !isUnreserved(v) && !isControl(v);
  }

  private static int upperHexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static int hexValue(char c) {
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return upperHexValue(c);
  }

  private static boolean isControl(int c) {
    return c < 0x20 || c == 0x7F;
  }

  private static boolean isUnreserved(int c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
