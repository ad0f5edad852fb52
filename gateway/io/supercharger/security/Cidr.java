package io.supercharger.security;

import java.util.Arrays;

/**
 * An IPv4 or IPv6 network, such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}. A bare address is a
 * single host ({@code /32} or {@code /128}). Only IP literals are accepted: a host name is an
 * error, never a DNS lookup.
 *
 * <p>Host bits below the prefix are cleared, as Go's {@code net.ParseCIDR} does, so {@code
 * 10.1.2.3/8} is the network {@code 10.0.0.0/8}. An IPv4-mapped network with a prefix of at least
 * 96 ({@code ::ffff:10.0.0.0/104}) is stored as the IPv4 network ({@code 10.0.0.0/8}). IPv4 and
 * IPv6 networks never overlap otherwise: {@code ::/0} does not match {@code 127.0.0.1}.
 */
public final class Cidr {

  private static final String EXPECTED = "expected an IPv4 or IPv6 CIDR like 10.0.0.0/8 or ::1/128";

  private final byte[] network;
  private final int prefix;

  private Cidr(byte[] network, int prefix) {
    this.network = network;
    this.prefix = prefix;
    int fullBytes = prefix / 8;
    int rest = prefix % 8;
    if (rest != 0) {
      network[fullBytes] &= (byte) (0xff << (8 - rest));
      fullBytes++;
    }
    Arrays.fill(network, fullBytes, network.length, (byte) 0);
  }

  /**
   * Parses {@code address[/prefix]}. Surrounding whitespace is ignored.
   *
   * @throws IllegalArgumentException naming the value and the expected form; the config layer
   *     prefixes the field path
   */
  public static Cidr parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException("null (" + EXPECTED + ")");
    }
    String text = value.strip();
    int slash = text.indexOf('/');
    int addressEnd = slash < 0 ? text.length() : slash;
    if (text.indexOf('%') >= 0) {
      throw invalid(value); // a zone names an interface, not a network
    }
    byte[] address = IpLiteral.parse(text, 0, addressEnd);
    if (address == null) {
      throw invalid(value);
    }
    int bits = address.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      prefix = parsePrefix(text, slash + 1);
      if (prefix < 0 || prefix > bits) {
        throw invalid(value);
      }
    }
    if (IpLiteral.isMapped(address) && prefix >= 96) {
      return new Cidr(IpLiteral.unmap(address), prefix - 96);
    }
    return new Cidr(address, prefix);
  }

  /** True if {@code ipLiteral} is a valid IP literal inside this network; false for garbage. */
  public boolean contains(String ipLiteral) {
    return containsAddress(IpLiteral.parseForMatch(ipLiteral));
  }

  /** {@code address} as given by {@link IpLiteral#parseForMatch}: mapped IPv4 already unmapped. */
  boolean containsAddress(byte[] address) {
    if (address == null || address.length != network.length) {
      return false;
    }
    int fullBytes = prefix / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest);
    return ((address[fullBytes] ^ network[fullBytes]) & mask) == 0;
  }

  public boolean isIpv4() {
    return network.length == 4;
  }

  public int prefixLength() {
    return prefix;
  }

  /** The canonical form, e.g. {@code 10.0.0.0/8} or {@code 2001:db8:0:0:0:0:0:0/32}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(isIpv4() ? 18 : 44);
    if (isIpv4()) {
      for (int i = 0; i < 4; i++) {
        if (i > 0) {
          sb.append('.');
        }
        sb.append(network[i] & 0xff);
      }
    } else {
      for (int i = 0; i < 16; i += 2) {
        if (i > 0) {
          sb.append(':');
        }
        sb.append(Integer.toHexString(((network[i] & 0xff) << 8) | (network[i + 1] & 0xff)));
      }
    }
    return sb.append('/').append(prefix).toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr other
        && prefix == other.prefix
        && Arrays.equals(network, other.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }

  private static int parsePrefix(String text, int from) {
    int digits = text.length() - from;
    if (digits < 1 || digits > 3) {
      return -1;
    }
    int value = 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static IllegalArgumentException invalid(String value) {
    return new IllegalArgumentException("\"" + value + "\" (" + EXPECTED + ")");
  }
}
