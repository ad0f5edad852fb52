package io.supercharger.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** An immutable set of networks, such as an allowlist or the trusted proxies. */
public final class CidrList {

  public static final CidrList EMPTY = new CidrList(List.of());

  private final List<Cidr> cidrs;
  // Split by family so a lookup only scans networks of the address's own length.
  private final Cidr[] v4;
  private final Cidr[] v6;

  private CidrList(List<Cidr> cidrs) {
    this.cidrs = List.copyOf(cidrs);
    this.v4 = this.cidrs.stream().filter(Cidr::isIpv4).toArray(Cidr[]::new);
    this.v6 = this.cidrs.stream().filter(c -> !c.isIpv4()).toArray(Cidr[]::new);
  }

  public static CidrList of(Collection<Cidr> cidrs) {
    return cidrs.isEmpty() ? EMPTY : new CidrList(List.copyOf(cidrs));
  }

  public static CidrList of(Cidr... cidrs) {
    return of(List.of(cidrs));
  }

  /**
   * Parses each entry with {@link Cidr#parse}. An error message starts with the entry's index,
   * {@code [1]: "10.0.0.0/33" (expected ...)}, so the config layer only prefixes the field name.
   */
  public static CidrList parse(List<String> values) {
    List<Cidr> parsed = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      try {
        parsed.add(Cidr.parse(values.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("[" + i + "]: " + e.getMessage(), e);
      }
    }
    return of(parsed);
  }

  /** True if {@code ipLiteral} is a valid IP literal inside one of the networks. */
  public boolean contains(String ipLiteral) {
    return !cidrs.isEmpty() && containsAddress(IpLiteral.parseForMatch(ipLiteral));
  }

  /** {@code address} as given by {@link IpLiteral#parseForMatch}. */
  boolean containsAddress(byte[] address) {
    if (address == null) {
      return false;
    }
    for (Cidr c : address.length == 4 ? v4 : v6) {
      if (c.containsAddress(address)) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return cidrs.isEmpty();
  }

  public List<Cidr> cidrs() {
    return cidrs;
  }

  @Override
  public String toString() {
    return cidrs.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CidrList other && cidrs.equals(other.cidrs);
  }

  @Override
  public int hashCode() {
    return cidrs.hashCode();
  }
}
