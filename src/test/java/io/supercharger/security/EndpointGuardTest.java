package io.supercharger.security;

import static io.supercharger.security.EndpointGuard.Verdict.ALLOWED;
import static io.supercharger.security.EndpointGuard.Verdict.BAD_TOKEN;
import static io.supercharger.security.EndpointGuard.Verdict.MISSING_TOKEN;
import static io.supercharger.security.EndpointGuard.Verdict.NOT_ALLOWLISTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.security.EndpointGuard.Mode;
import io.supercharger.security.EndpointGuard.Verdict;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class EndpointGuardTest {

  static final String TOKEN = "s3cret-token";
  static final CidrList ALLOWLIST = CidrList.parse(List.of("127.0.0.1/32", "::1/128"));
  static final String INSIDE = "127.0.0.1";
  static final String OUTSIDE = "203.0.113.7";

  /** Headers as "Name=value;Name=value", looked up case-insensitively as Vert.x does. */
  static Function<String, String> headers(String spec) {
    Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (spec != null && !spec.isEmpty()) {
      for (String pair : spec.split(";")) {
        int eq = pair.indexOf('=');
        map.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return map::get;
  }

  static EndpointGuard guard(Mode mode, TokenSource tokens) {
    return new EndpointGuard(mode, ALLOWLIST, "X-Runtime-Token", tokens);
  }

  /**
   * Every mode against every way of presenting (or not) a token, from inside and outside the
   * allowlist. The columns are the modes: OFF, ALLOWLIST, TOKEN, ALLOWLIST_OR_TOKEN,
   * ALLOWLIST_AND_TOKEN.
   */
  @ParameterizedTest(name = "[{index}] {0} {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NONE",
      textBlock =
          """
      # where   | headers                                              | off     | allowlist       | token         | or              | and
      inside    | NONE                                                 | ALLOWED | ALLOWED         | MISSING_TOKEN | ALLOWED         | MISSING_TOKEN
      outside   | NONE                                                 | ALLOWED | NOT_ALLOWLISTED | MISSING_TOKEN | NOT_ALLOWLISTED | NOT_ALLOWLISTED
      inside    | X-Runtime-Token=wrong-token!                         | ALLOWED | ALLOWED         | BAD_TOKEN     | ALLOWED         | BAD_TOKEN
      outside   | X-Runtime-Token=wrong-token!                         | ALLOWED | NOT_ALLOWLISTED | BAD_TOKEN     | BAD_TOKEN       | NOT_ALLOWLISTED
      outside   | X-Runtime-Token=s3cret-toke                          | ALLOWED | NOT_ALLOWLISTED | BAD_TOKEN     | BAD_TOKEN       | NOT_ALLOWLISTED
      outside   | X-Runtime-Token=s3cret-token-and-more                | ALLOWED | NOT_ALLOWLISTED | BAD_TOKEN     | BAD_TOKEN       | NOT_ALLOWLISTED
      inside    | X-Runtime-Token=s3cret-token                         | ALLOWED | ALLOWED         | ALLOWED       | ALLOWED         | ALLOWED
      outside   | X-Runtime-Token=s3cret-token                         | ALLOWED | NOT_ALLOWLISTED | ALLOWED       | ALLOWED         | NOT_ALLOWLISTED
      outside   | x-runtime-token= s3cret-token                        | ALLOWED | NOT_ALLOWLISTED | ALLOWED       | ALLOWED         | NOT_ALLOWLISTED
      inside    | Authorization=Bearer s3cret-token                    | ALLOWED | ALLOWED         | ALLOWED       | ALLOWED         | ALLOWED
      outside   | Authorization=Bearer s3cret-token                    | ALLOWED | NOT_ALLOWLISTED | ALLOWED       | ALLOWED         | NOT_ALLOWLISTED
      outside   | Authorization=bearer   s3cret-token                  | ALLOWED | NOT_ALLOWLISTED | ALLOWED       | ALLOWED         | NOT_ALLOWLISTED
      inside    | Authorization=Bearer wrong-token!                    | ALLOWED | ALLOWED         | BAD_TOKEN     | ALLOWED         | BAD_TOKEN
      outside   | Authorization=Bearer wrong-token!                    | ALLOWED | NOT_ALLOWLISTED | BAD_TOKEN     | BAD_TOKEN       | NOT_ALLOWLISTED
      inside    | Authorization=Basic s3cret-token                     | ALLOWED | ALLOWED         | MISSING_TOKEN | ALLOWED         | MISSING_TOKEN
      outside   | Authorization=Basic s3cret-token                     | ALLOWED | NOT_ALLOWLISTED | MISSING_TOKEN | NOT_ALLOWLISTED | NOT_ALLOWLISTED
      outside   | Authorization=Bearers3cret-token                     | ALLOWED | NOT_ALLOWLISTED | MISSING_TOKEN | NOT_ALLOWLISTED | NOT_ALLOWLISTED
      outside   | Authorization=Bearer                                 | ALLOWED | NOT_ALLOWLISTED | MISSING_TOKEN | NOT_ALLOWLISTED | NOT_ALLOWLISTED
      outside   | X-Runtime-Token=                                     | ALLOWED | NOT_ALLOWLISTED | MISSING_TOKEN | NOT_ALLOWLISTED | NOT_ALLOWLISTED
      outside   | X-Runtime-Token=wrong;Authorization=Bearer s3cret-token | ALLOWED | NOT_ALLOWLISTED | ALLOWED    | ALLOWED         | NOT_ALLOWLISTED
      outside   | X-Runtime-Token=s3cret-token;Authorization=Basic xyz | ALLOWED | NOT_ALLOWLISTED | ALLOWED       | ALLOWED         | NOT_ALLOWLISTED
      """)
  void modeMatrix(
      String where,
      String headerSpec,
      Verdict off,
      Verdict allowlist,
      Verdict token,
      Verdict or,
      Verdict and) {
    String ip = where.equals("inside") ? INSIDE : OUTSIDE;
    Verdict[] expected = {off, allowlist, token, or, and};
    for (Mode mode : Mode.values()) {
      EndpointGuard guard = guard(mode, new StaticToken(TOKEN));
      assertEquals(expected[mode.ordinal()], guard.check(ip, headers(headerSpec)), mode.name());
    }
  }

  /** IPv6 loopback as Vert.x prints it, and an IPv4 client on a dual-stack socket. */
  @Test
  void allowlistSeesVertxAddressForms() {
    EndpointGuard guard = guard(Mode.ALLOWLIST, null);
    assertEquals(ALLOWED, guard.check("0:0:0:0:0:0:0:1", headers(null)));
    assertEquals(ALLOWED, guard.check("::ffff:127.0.0.1", headers(null)));
    assertEquals(NOT_ALLOWLISTED, guard.check(null, headers(null)));
    assertEquals(NOT_ALLOWLISTED, guard.check("localhost", headers(null)));
  }

  /** With no token configured, a presented token is bad rather than accepted by accident. */
  @ParameterizedTest
  @EnumSource(names = {"TOKEN", "ALLOWLIST_AND_TOKEN"})
  void noConfiguredTokenDeniesEveryToken(Mode mode) {
    EndpointGuard guard = guard(mode, new StaticToken("  \n"));
    assertEquals(BAD_TOKEN, guard.check(INSIDE, headers("Authorization=Bearer anything")));
    assertEquals(MISSING_TOKEN, guard.check(INSIDE, headers(null)));
  }

  @Test
  void authorizationAsTheTokenHeaderMeansBearerOnly() {
    EndpointGuard guard =
        new EndpointGuard(Mode.TOKEN, CidrList.EMPTY, "authorization", new StaticToken(TOKEN));
    assertEquals(ALLOWED, guard.check(OUTSIDE, headers("Authorization=Bearer " + TOKEN)));
    assertEquals(MISSING_TOKEN, guard.check(OUTSIDE, headers("Authorization=" + TOKEN)));
  }

  /** Netty gives one char per wire byte; a wider char must not match by truncation. */
  @Test
  void charsAboveLatin1NeverMatch() {
    EndpointGuard guard = guard(Mode.TOKEN, new StaticToken("A"));
    assertEquals(BAD_TOKEN, guard.check(OUTSIDE, headers("X-Runtime-Token=\u0141")));
    assertEquals(ALLOWED, guard.check(OUTSIDE, headers("X-Runtime-Token=A")));
  }

  /** A UTF-8 token from the env matches the same bytes arriving as Latin-1 chars off the wire. */
  @Test
  void nonAsciiTokenMatchesItsWireBytes() {
    EndpointGuard guard = guard(Mode.TOKEN, new StaticToken("clé"));
    String wire = new String("clé".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    assertEquals(ALLOWED, guard.check(OUTSIDE, headers("X-Runtime-Token=" + wire)));
  }

  /** The digest is cached per token instance: a new instance from the source must take over. */
  @Test
  void followsTheSourceWhenTheTokenChanges() {
    byte[][] current = {"first".getBytes(StandardCharsets.UTF_8)};
    EndpointGuard guard = guard(Mode.TOKEN, () -> current[0]);
    assertEquals(ALLOWED, guard.check(OUTSIDE, headers("X-Runtime-Token=first")));
    current[0] = "second".getBytes(StandardCharsets.UTF_8);
    assertEquals(BAD_TOKEN, guard.check(OUTSIDE, headers("X-Runtime-Token=first")));
    assertEquals(ALLOWED, guard.check(OUTSIDE, headers("X-Runtime-Token=second")));
    current[0] = null;
    assertEquals(BAD_TOKEN, guard.check(OUTSIDE, headers("X-Runtime-Token=second")));
  }

  /** It runs for every guarded request: a token check must not allocate. */
  @Test
  void tokenCheckDoesNotAllocate() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    EndpointGuard guard = guard(Mode.TOKEN, new StaticToken(TOKEN));
    Function<String, String> right = headers("Authorization=Bearer " + TOKEN);
    Function<String, String> wrong = headers("X-Runtime-Token=nope");
    for (int i = 0; i < 20_000; i++) {
      guard.check(OUTSIDE, right);
      guard.check(OUTSIDE, wrong);
    }
    int checks = 100_000;
    long before = threads.getCurrentThreadAllocatedBytes();
    Verdict last = null;
    for (int i = 0; i < checks; i++) {
      last = guard.check(OUTSIDE, (i & 1) == 0 ? right : wrong);
    }
    long perCheck = (threads.getCurrentThreadAllocatedBytes() - before) / checks;
    assertEquals(BAD_TOKEN, last);
    assertEquals(0, perCheck, "bytes allocated per check");
  }

  @ParameterizedTest
  @CsvSource({
    "off, OFF",
    "allowlist, ALLOWLIST",
    "token, TOKEN",
    "allowlist_or_token, ALLOWLIST_OR_TOKEN",
    "allowlist_and_token, ALLOWLIST_AND_TOKEN",
    "' Token ', TOKEN"
  })
  void parsesModes(String text, Mode mode) {
    assertEquals(mode, Mode.parse(text));
  }

  @Test
  void rejectsUnknownMode() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Mode.parse("allowlist-or-token"));
    assertEquals(
        "\"allowlist-or-token\" (expected one of off, allowlist, token,"
            + " allowlist_or_token, allowlist_and_token)",
        e.getMessage());
  }

  @Test
  void configNamesRoundTrip() {
    for (Mode m : Mode.values()) {
      assertSame(m, Mode.parse(m.configName()));
    }
  }

  /** An empty allowlist in an allowlist mode would lock everyone out: a config error, loudly. */
  @ParameterizedTest
  @EnumSource(names = {"ALLOWLIST", "ALLOWLIST_OR_TOKEN", "ALLOWLIST_AND_TOKEN"})
  void allowlistModesNeedAnAllowlist(Mode mode) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new EndpointGuard(mode, CidrList.EMPTY, "X-Runtime-Token", new StaticToken(TOKEN)));
    assertTrue(
        e.getMessage().startsWith("allowlist: [] (expected at least one CIDR"), e.getMessage());
  }

  @Test
  void tokenModesNeedAHeaderName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new EndpointGuard(Mode.TOKEN, CidrList.EMPTY, "X Token", new StaticToken(TOKEN)));
    assertEquals(
        "token_header: \"X Token\" (expected an HTTP header name like X-Runtime-Token)",
        e.getMessage());
  }

  @Test
  void offNeedsNothing() {
    EndpointGuard guard = new EndpointGuard(Mode.OFF, null, null, null);
    assertEquals(ALLOWED, guard.check(null, name -> null));
  }

  @Test
  void reasonsAreTheMetricLabels() {
    assertTrue(ALLOWED.allowed());
    assertFalse(NOT_ALLOWLISTED.allowed());
    assertEquals("not_allowlisted", NOT_ALLOWLISTED.reason());
    assertEquals("missing_token", MISSING_TOKEN.reason());
    assertEquals("bad_token", BAD_TOKEN.reason());
  }

  @Test
  void toStringNeverShowsTheToken() {
    StaticToken token = new StaticToken(TOKEN);
    EndpointGuard guard = guard(Mode.ALLOWLIST_OR_TOKEN, token);
    assertFalse(token.toString().contains(TOKEN), token.toString());
    assertFalse(guard.toString().contains(TOKEN), guard.toString());
    assertEquals("StaticToken{unset}", new StaticToken(null).toString());
  }
}
