package io.supercharger.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientAddressResolverTest {

  private final ClientAddressResolver resolver =
      new ClientAddressResolver(CidrList.parse(List.of("10.0.0.0/8", "192.168.0.1", "::1")));

  /**
   * Rightmost entries were written by our proxies, leftmost ones by the client: a client that sends
   * "X-Forwarded-For: 127.0.0.1" must not become 127.0.0.1 (and pass the allowlist).
   */
  @ParameterizedTest(name = "[{index}] peer {0}, XFF \"{1}\" -> {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NONE",
      textBlock =
          """
      # untrusted peers: their header is ignored, whatever it says
      203.0.113.5     | 127.0.0.1                                 | 203.0.113.5
      203.0.113.5     | NONE                                      | 203.0.113.5
      11.0.0.1        | 1.2.3.4                                   | 11.0.0.1
      # a trusted peer is believed
      10.0.0.1        | 1.2.3.4                                   | 1.2.3.4
      10.0.0.1        | NONE                                      | 10.0.0.1
      ::1             | 2.2.2.2                                   | 2.2.2.2
      0:0:0:0:0:0:0:1 | 2.2.2.2                                   | 2.2.2.2
      ::ffff:10.0.0.1 | 2.2.2.2                                   | 2.2.2.2
      10.0.0.1        | ' 2001:db8::1 '                           | 2001:db8::1
      # several hops: trusted ones are skipped from the right, spoofed leftmost ones ignored
      10.0.0.1        | 127.0.0.1, 2.2.2.2                        | 2.2.2.2
      10.0.0.1        | 6.6.6.6, 2.2.2.2, 10.0.0.2, 192.168.0.1   | 2.2.2.2
      10.0.0.1        | 6.6.6.6,2.2.2.2,10.0.0.2                  | 2.2.2.2
      10.0.0.1        | 3.3.3.3, ::ffff:10.0.0.9                  | 3.3.3.3
      10.0.0.1        | 10.0.0.3, 10.0.0.2                        | 10.0.0.3
      # garbage stops the walk at the last trusted hop
      10.0.0.1        | garbage, 10.0.0.2                         | 10.0.0.2
      10.0.0.1        | 2.2.2.2, garbage                          | 10.0.0.1
      10.0.0.1        | 2.2.2.2,,10.0.0.2                         | 10.0.0.2
      10.0.0.1        | 2.2.2.2,                                  | 10.0.0.1
      10.0.0.1        | ''                                        | 10.0.0.1
      10.0.0.1        | unknown                                   | 10.0.0.1
      10.0.0.1        | 1.2.3.4:5678                              | 10.0.0.1
      10.0.0.1        | [2001:db8::1]                             | 10.0.0.1
      10.0.0.1        | evil.example.com, 10.0.0.2                | 10.0.0.2
      """)
  void resolves(String peer, String xff, String client) {
    assertEquals(client, resolver.clientIp(peer, xff));
  }

  @Test
  void noTrustedProxiesMeansThePeer() {
    ClientAddressResolver none = new ClientAddressResolver(CidrList.EMPTY);
    String peer = "10.0.0.1";
    assertSame(peer, none.clientIp(peer, "1.2.3.4"));
    assertFalse(none.trusts(peer));
  }

  @Test
  void trustsOnlyConfiguredPeers() {
    assertTrue(resolver.trusts("10.200.0.1"));
    assertTrue(resolver.trusts("0:0:0:0:0:0:0:1"));
    assertFalse(resolver.trusts("192.168.0.2"));
    assertFalse(resolver.trusts(null));
  }

  /**
   * A client can send its own X-Forwarded-For line before the one our proxy appended; taking only
   * the first line would believe the client. The list form walks every line, last one first.
   */
  @Test
  void everyHeaderLineCounts() {
    List<String> lines = Arrays.asList("127.0.0.1", "2.2.2.2, 10.0.0.2");
    assertEquals("2.2.2.2", resolver.clientIp("10.0.0.1", lines));
    assertEquals("10.0.0.1", resolver.clientIp("10.0.0.1", List.of()));
    assertEquals("1.2.3.4", resolver.clientIp("10.0.0.1", List.of("1.2.3.4")));
  }
}
