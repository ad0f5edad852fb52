package io.supercharger.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CidrListTest {

  private final CidrList list = CidrList.parse(List.of("127.0.0.1/32", "::1/128", "10.0.0.0/8"));

  @Test
  void containsAcrossFamilies() {
    assertTrue(list.contains("127.0.0.1"));
    assertTrue(list.contains("0:0:0:0:0:0:0:1"));
    assertTrue(list.contains("::ffff:10.9.8.7"));
    assertFalse(list.contains("127.0.0.2"));
    assertFalse(list.contains("::2"));
    assertFalse(list.contains("garbage"));
    assertFalse(list.contains(null));
  }

  @Test
  void emptyContainsNothing() {
    assertTrue(CidrList.EMPTY.isEmpty());
    assertFalse(CidrList.EMPTY.contains("127.0.0.1"));
    assertEquals(CidrList.EMPTY, CidrList.parse(List.of()));
  }

  /** The config layer prefixes the field name; the list supplies the index. */
  @Test
  void errorNamesTheIndex() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CidrList.parse(List.of("127.0.0.1/32", "10.0.0.0/33")));
    assertEquals(
        "[1]: \"10.0.0.0/33\" (expected an IPv4 or IPv6 CIDR like 10.0.0.0/8 or ::1/128)",
        e.getMessage());
  }

  @Test
  void isImmutable() {
    List<Cidr> source = new ArrayList<>(List.of(Cidr.parse("10.0.0.0/8")));
    CidrList copy = CidrList.of(source);
    source.add(Cidr.parse("0.0.0.0/0"));
    assertFalse(copy.contains("8.8.8.8"));
    assertThrows(UnsupportedOperationException.class, () -> copy.cidrs().clear());
  }

  @Test
  void printsCanonically() {
    assertEquals("[127.0.0.1/32, 0:0:0:0:0:0:0:1/128, 10.0.0.0/8]", list.toString());
  }
}
