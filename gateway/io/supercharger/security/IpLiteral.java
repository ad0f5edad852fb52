package io.supercharger.security;

/**
 * Parses IP address literals into bytes, never resolving names and never throwing: an invalid
 * literal gives {@code null}. It runs for every proxied request (the peer address, each
 * X-Forwarded-For hop) so it works on a character range, without substrings or exceptions.
 *
 * <p>Accepted: dotted-quad IPv4 in decimal without leading zeros ({@code 010.0.0.1} is refused
 * because other parsers read it as octal), and RFC 4291 IPv6 text with at most one {@code ::}, an
 * optional trailing dotted quad, and an optional {@code %zone} suffix (as {@code
 * Inet6Address.getHostAddress()} prints link-local addresses). Brackets and ports are not literals
 * and are refused.
 */
final class IpLiteral {

  private IpLiteral() {}

  /** The address as 4 bytes (IPv4) or 16 bytes (IPv6, kept as written), or null. */
  static byte[] parse(CharSequence s, int from, int to) {
    if (s == null || from < 0 || to > s.length() || from >= to) {
      return null;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == ':') {
        return parseV6(s, from, to);
      }
      if (c == '%') {
        return null;
      }
    }
    byte[] out = new byte[4];
    return parseV4Into(s, from, to, out, 0) ? out : null;
  }

  static byte[] parse(CharSequence s) {
    return s == null ? null : parse(s, 0, s.length());
  }

  /**
   * Like {@link #parse} but an IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}, as a dual-stack
   * socket reports an IPv4 peer) comes back as its 4 IPv4 bytes, so that it matches IPv4 CIDRs.
   */
  static byte[] parseForMatch(CharSequence s, int from, int to) {
    return unmap(parse(s, from, to));
  }

  static byte[] parseForMatch(CharSequence s) {
    return s == null ? null : parseForMatch(s, 0, s.length());
  }

  static boolean isMapped(byte[] a) {
    if (a == null || a.length != 16) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }

  static byte[] unmap(byte[] a) {
    if (!isMapped(a)) {
      return a;
    }
    return new byte[] {a[12], a[13], a[14], a[15]};
  }

  private static boolean parseV4Into(CharSequence s, int from, int to, byte[] out, int offset) {
    int octets = 0;
    int i = from;
    while (true) {
      int start = i;
      int value = 0;
      while (i < to && i - start < 4) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
          break;
        }
        value = value * 10 + (c - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
        return false;
      }
      out[offset + octets++] = (byte) value;
      if (octets == 4) {
        return i == to;
      }
      if (i >= to || s.charAt(i) != '.') {
        return false;
      }
      i++;
    }
  }

  private static byte[] parseV6(CharSequence s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == '%') {
        if (i == to - 1) {
          return null; // an empty zone
        }
        to = i;
        break;
      }
    }
    if (to - from < 2) {
      return null;
    }
    byte[] out = new byte[16];
    int groups = 0;
    int gap = -1; // the group index where "::" stands, if any
    int i = from;
    if (s.charAt(i) == ':') {
      if (s.charAt(i + 1) != ':') {
        return null;
      }
      gap = 0;
      i += 2;
    }
    while (i < to) {
      if (groups == 8) {
        return null;
      }
      int start = i;
      int value = 0;
      while (i < to && i - start < 5) {
        int h = hex(s.charAt(i));
        if (h < 0) {
          break;
        }
        value = (value << 4) | h;
        i++;
      }
      if (i < to && s.charAt(i) == '.') {
        // An embedded dotted quad ends the address and fills two groups.
        if (groups > 6 || !parseV4Into(s, start, to, out, groups * 2)) {
          return null;
        }
        groups += 2;
        break;
      }
      int digits = i - start;
      if (digits == 0 || digits > 4) {
        return null;
      }
      out[groups * 2] = (byte) (value >>> 8);
      out[groups * 2 + 1] = (byte) value;
      groups++;
      if (i == to) {
        break;
      }
      if (s.charAt(i) != ':' || i + 1 == to) {
        return null;
      }
      i++;
      if (s.charAt(i) == ':') {
        if (gap >= 0) {
          return null;
        }
        gap = groups;
        i++;
      }
    }
    if (gap < 0) {
      return groups == 8 ? out : null;
    }
    if (groups == 8) {
      return null; // "::" must stand for at least one group of zeros
    }
    int tailBytes = (groups - gap) * 2;
    System.arraycopy(out, gap * 2, out, 16 - tailBytes, tailBytes);
    java.util.Arrays.fill(out, gap * 2, 16 - tailBytes, (byte) 0);
    return out;
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
