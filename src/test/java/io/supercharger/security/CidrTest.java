package io.supercharger.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      10.0.0.0/8          | 10.0.0.0                | true
      10.0.0.0/8          | 10.255.255.255          | true
      10.0.0.0/8          | 11.0.0.0                | false
      10.0.0.0/8          | 9.255.255.255           | false
      192.168.1.7         | 192.168.1.7             | true
      192.168.1.7         | 192.168.1.8             | false
      192.168.1.7/32      | 192.168.1.6             | false
      0.0.0.0/0           | 203.0.113.9             | true
      0.0.0.0/0           | ::1                     | false
      172.16.0.0/12       | 172.31.255.255          | true
      172.16.0.0/12       | 172.32.0.0              | false
      172.16.0.0/12       | 172.15.255.255          | false
      10.1.2.3/8          | 10.9.9.9                | true
      127.0.0.1/32        | ::ffff:127.0.0.1        | true
      10.0.0.0/8          | ::ffff:10.1.2.3         | true
      10.0.0.0/8          | ::FFFF:a01:203          | true
      10.0.0.0/8          | 0:0:0:0:0:ffff:a01:203  | true
      10.0.0.0/8          | ::10.1.2.3              | false
      ::ffff:10.0.0.0/104 | 10.200.0.1              | true
      ::ffff:10.0.0.0/104 | 11.0.0.1                | false
      ::1/128             | ::1                     | true
      ::1/128             | 0:0:0:0:0:0:0:1         | true
      ::1/128             | ::2                     | false
      ::1/128             | 127.0.0.1               | false
      ::/0                | 2001:db8::1             | true
      ::/0                | 127.0.0.1               | false
      2001:db8::/32       | 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff | true
      2001:db8::/32       | 2001:db9::              | false
      2001:db8::/32       | 2001:db7:ffff::         | false
      2001:db8::/33       | 2001:db8:7fff::1        | true
      2001:db8::/33       | 2001:db8:8000::1        | false
      fe80::1             | fe80::1                 | true
      fe80::1             | fe80::1%eth0            | true
      fe80::/10           | febf::1                 | true
      fe80::/10           | fec0::1                 | false
      10.0.0.0/8          | 10.0.0                  | false
      10.0.0.0/8          | 10.0.0.1.               | false
      10.0.0.0/8          | 010.0.0.1               | false
      10.0.0.0/8          | 10.0.0.256              | false
      10.0.0.0/8          | localhost               | false
      10.0.0.0/8          | ''                      | false
      ::/0                | 1:2:3:4:5:6:7:8:9       | false
      ::/0                | 1::2::3                 | false
      ::/0                | [::1]                   | false
      ::/0                | fe80::1%                | false
      """)
  void matches(String cidr, String ip, boolean expected) {
    assertEquals(expected, Cidr.parse(cidr).contains(ip));
  }

  @Test
  void nullAddressMatchesNothing() {
    assertFalse(Cidr.parse("0.0.0.0/0").contains(null));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      10.0.0.0/8              | 10.0.0.0/8
      192.168.1.7             | 192.168.1.7/32
      10.1.2.3/8              | 10.0.0.0/8
      ' 10.0.0.0/8 '          | 10.0.0.0/8
      ::1/128                 | 0:0:0:0:0:0:0:1/128
      fe80::1                 | fe80:0:0:0:0:0:0:1/128
      2001:db8::/32           | 2001:db8:0:0:0:0:0:0/32
      2001:db8:ffff::/31      | 2001:db8:0:0:0:0:0:0/31
      ::ffff:10.0.0.0/104     | 10.0.0.0/8
      ::ffff:192.168.1.7      | 192.168.1.7/32
      ::/0                    | 0:0:0:0:0:0:0:0/0
      """)
  void canonicalForm(String input, String canonical) {
    assertEquals(canonical, Cidr.parse(input).toString());
    assertEquals(Cidr.parse(canonical), Cidr.parse(input));
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @ValueSource(
      strings = {
        "10.0.0.0/33",
        "::1/129",
        "10.0.0.0/-1",
        "10.0.0.0/",
        "/8",
        "10.0.0.0/8/8",
        "10.0.0.0/a",
        "10.0.0.0/1000",
        "256.0.0.0/8",
        "10.0.0/8",
        "010.0.0.0/8",
        "10.0.0.0.0",
        "",
        "   ",
        "localhost",
        "example.com/8",
        "fe80::1%eth0",
        "[::1]/128",
        "1.2.3.4:80",
        ":::/0",
        "1:2:3:4:5:6:7:8:9/64",
        "1::2::3",
        "12345::/16",
        "::ffff:1.2.3/104",
        "g::1"
      })
  void rejectsGarbage(String value) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(value));
    assertEquals(
        "\"" + value + "\" (expected an IPv4 or IPv6 CIDR like 10.0.0.0/8 or ::1/128)",
        e.getMessage());
  }

  @Test
  void rejectsNullWithTheSameExpectation() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(null));
    assertEquals("null (expected an IPv4 or IPv6 CIDR like 10.0.0.0/8 or ::1/128)", e.getMessage());
  }

  /** Host names must fail at once, without a DNS lookup that would stall startup or the loop. */
  @Test
  void neverResolvesNames() {
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("does-not-exist.invalid"));
    assertNull(IpLiteral.parse("does-not-exist.invalid"));
  }

  /** The hand-written parser must agree with the JDK on literals the JDK accepts. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0",
        "255.255.255.255",
        "1.2.3.4",
        "::",
        "::1",
        "1::",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::",
        "::2:3:4:5:6:7:8",
        "1::8",
        "2001:db8::ff00:42:8329",
        "2001:DB8:0:0:8:800:200C:417A",
        "::ffff:1.2.3.4",
        "64:ff9b::192.0.2.33",
        "::1.2.3.4",
        "1:2:3:4:5:6:1.2.3.4",
        "fe80::1"
      })
  void agreesWithTheJdkOnValidLiterals(String literal) throws Exception {
    byte[] jdk = InetAddress.getByName(literal).getAddress(); // literals only: no lookup
    assertArrayEquals(jdk, IpLiteral.parseForMatch(literal));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "1::2:3:4:5:6:7:8",
        ":1::",
        "1:",
        ":1",
        "1:::2",
        "1:2:3:4:5:6:7:1.2.3.4",
        "::1.2.3.4:5",
        "::1.2.3",
        "::12345",
        "1.2.3.4.5",
        " 1.2.3.4",
        "1.2.3.4 ",
        "1.2.3.-4",
        "+1.2.3.4",
        "0x1.2.3.4",
        "1.2.3.04",
        "%eth0",
        "::%"
      })
  void rejectsInvalidLiterals(String literal) {
    assertNull(IpLiteral.parse(literal));
  }

  @Test
  void exposesFamilyAndPrefix() {
    Cidr v4 = Cidr.parse("10.0.0.0/8");
    assertTrue(v4.isIpv4());
    assertEquals(8, v4.prefixLength());
    assertFalse(Cidr.parse("::1").isIpv4());
    assertEquals(128, Cidr.parse("::1").prefixLength());
  }
}
