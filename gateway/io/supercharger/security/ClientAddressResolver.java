package io.supercharger.security;

import java.util.List;
import java.util.Objects;

/**
 * Finds the client's address behind trusted reverse proxies, as nginx's {@code real_ip_recursive
 * on} does. Runs on every proxied request: with no trusted proxies it returns the peer untouched.
 *
 * <p>Only a trusted peer's {@code X-Forwarded-For} is believed. It is read from right to left,
 * because each proxy appends the address it received the request from: the rightmost entries were
 * written by our own proxies, the leftmost by whoever sent the request, possibly forged. Trusted
 * addresses are skipped; the first untrusted one is the client. A malformed entry (a name, a port,
 * an empty entry) stops the walk, and the last trusted hop is the client: nothing left of a
 * malformed entry can be trusted. If every entry is trusted, the leftmost is the client.
 */
public final class ClientAddressResolver {

  private final CidrList trustedProxies;

  public ClientAddressResolver(CidrList trustedProxies) {
    this.trustedProxies = Objects.requireNonNull(trustedProxies, "trustedProxies");
  }

  /** Whether to believe this peer's X-Forwarded-For, X-Forwarded-Proto and X-Forwarded-Host. */
  public boolean trusts(String peerIp) {
    return trustedProxies.contains(peerIp);
  }

  /**
   * @param peerIp the TCP peer, e.g. Vert.x's {@code remoteAddress().hostAddress()}
   * @param xForwardedFor the header's value, or null. If the request has several X-Forwarded-For
   *     lines they must be joined with "," in order (or use {@link #clientIp(String, List)}):
   *     passing only the first line would believe a line the client wrote.
   * @return the client address: {@code peerIp} itself or a substring of {@code xForwardedFor}
   */
  public String clientIp(String peerIp, String xForwardedFor) {
    if (xForwardedFor == null || trustedProxies.isEmpty() || !trusts(peerIp)) {
      return peerIp;
    }
    int lastTrustedStart = -1;
    int lastTrustedEnd = -1;
    int end = xForwardedFor.length();
    while (end >= 0) {
      int comma = xForwardedFor.lastIndexOf(',', end - 1);
      int from = skipSpaces(xForwardedFor, comma + 1, end);
      int to = trimEnd(xForwardedFor, from, end);
      byte[] address = IpLiteral.parseForMatch(xForwardedFor, from, to);
      if (address == null) {
        break;
      }
      if (!trustedProxies.containsAddress(address)) {
        return xForwardedFor.substring(from, to);
      }
      lastTrustedStart = from;
      lastTrustedEnd = to;
      if (comma < 0) {
        break;
      }
      end = comma;
    }
    return lastTrustedStart < 0
        ? peerIp
        : xForwardedFor.substring(lastTrustedStart, lastTrustedEnd);
  }

  /** Like {@link #clientIp(String, String)} with every X-Forwarded-For line, in request order. */
  public String clientIp(String peerIp, List<String> xForwardedFor) {
    if (xForwardedFor == null || xForwardedFor.isEmpty()) {
      return peerIp;
    }
    String joined =
        xForwardedFor.size() == 1 ? xForwardedFor.get(0) : String.join(",", xForwardedFor);
    return clientIp(peerIp, joined);
  }

  public CidrList trustedProxies() {
    return trustedProxies;
  }

  private static int skipSpaces(String s, int i, int end) {
    while (i < end && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static int trimEnd(String s, int from, int end) {
    while (end > from && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
      end--;
    }
    return end;
  }

  @Override
  public String toString() {
    return "ClientAddressResolver{trustedProxies=" + trustedProxies + "}";
  }
}
