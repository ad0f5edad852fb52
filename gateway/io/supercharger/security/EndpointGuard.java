package io.supercharger.security;

import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Decides whether a request may reach a reserved endpoint ({@code /status}, {@code /metrics},
 * {@code /admin/…}). Pure and allocation-free per check: the caller passes the client address (from
 * {@link ClientAddressResolver}) and a header lookup, and gets a preallocated {@link Verdict}.
 *
 * <p>What each mode allows, and the reason it gives otherwise:
 *
 * <ul>
 *   <li>{@code OFF}: everything.
 *   <li>{@code ALLOWLIST}: a client inside the allowlist; otherwise {@code not_allowlisted}. Tokens
 *       are ignored.
 *   <li>{@code TOKEN}: a client presenting the right token, from anywhere. No token presented:
 *       {@code missing_token}; a token presented that is wrong (or none is configured): {@code
 *       bad_token}.
 *   <li>{@code ALLOWLIST_OR_TOKEN}: a client inside the allowlist (its token is not looked at), or
 *       one outside presenting the right token. Outside with no token: {@code not_allowlisted} (the
 *       client tried only the address path); outside with a wrong token: {@code bad_token}.
 *   <li>{@code ALLOWLIST_AND_TOKEN}: a client inside the allowlist that also presents the right
 *       token. Outside: {@code not_allowlisted}, and the token is not even compared, so outsiders
 *       learn nothing about it. Inside: {@code missing_token} or {@code bad_token} as for {@code
 *       TOKEN}.
 * </ul>
 *
 * <p>A token is presented in the configured header ({@code X-Runtime-Token}) or as {@code
 * Authorization: Bearer <token>} (scheme case-insensitive), so a stock Prometheus {@code
 * authorization} scrape config works. An {@code Authorization} header with another scheme ({@code
 * Basic …}) presents no token. If both forms are present, either one matching is enough.
 *
 * <p>Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}: the time taken
 * depends neither on where the first differing byte is nor on the configured token's length. The
 * configured token's digest is computed once per token change, not per request. Header values are
 * compared as the bytes that came over the wire (Netty decodes header bytes one per char).
 */
public final class EndpointGuard {

  private static final String AUTHORIZATION = "Authorization";
  private static final String BEARER = "Bearer";

  /**
   * The configuration names: {@code off|allowlist|token|allowlist_or_token|allowlist_and_token}.
   */
  public enum Mode {
    OFF,
    ALLOWLIST,
    TOKEN,
    ALLOWLIST_OR_TOKEN,
    ALLOWLIST_AND_TOKEN;

    /** Parses a config value, case-insensitively, e.g. {@code allowlist_or_token}. */
    public static Mode parse(String value) {
      if (value != null) {
        String name = value.strip().toUpperCase(Locale.ROOT);
        for (Mode m : values()) {
          if (m.name().equals(name)) {
            return m;
          }
        }
      }
      throw new IllegalArgumentException(
          (value == null ? "null" : "\"" + value + "\"")
              + " (expected one of off, allowlist, token, allowlist_or_token, allowlist_and_token)");
    }

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    boolean usesAllowlist() {
      return this == ALLOWLIST || this == ALLOWLIST_OR_TOKEN || this == ALLOWLIST_AND_TOKEN;
    }

    boolean usesToken() {
      return this == TOKEN || this == ALLOWLIST_OR_TOKEN || this == ALLOWLIST_AND_TOKEN;
    }
  }

  /** The outcome of a check; {@link #reason()} is the {@code reason} label of a denial metric. */
  public enum Verdict {
    ALLOWED("allowed"),
    NOT_ALLOWLISTED("not_allowlisted"),
    MISSING_TOKEN("missing_token"),
    BAD_TOKEN("bad_token");

    private final String reason;

    Verdict(String reason) {
      this.reason = reason;
    }

    public boolean allowed() {
      return this == ALLOWED;
    }

    /** The metric label: {@code not_allowlisted}, {@code missing_token} or {@code bad_token}. */
    public String reason() {
      return reason;
    }
  }

  private record Expected(byte[] token, byte[] digest) {}

  private final Mode mode;
  private final CidrList allowlist;
  private final String tokenHeader;
  private final boolean tokenHeaderIsAuthorization;
  private final TokenSource tokens;
  private volatile Expected expected;

  /**
   * @param allowlist required non-empty by the allowlist modes
   * @param tokenHeader and {@code tokens} are required by the token modes; a source whose {@link
   *     TokenSource#current()} is null denies every token
   */
  public EndpointGuard(Mode mode, CidrList allowlist, String tokenHeader, TokenSource tokens) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.allowlist = allowlist == null ? CidrList.EMPTY : allowlist;
    if (mode.usesAllowlist() && this.allowlist.isEmpty()) {
      throw new IllegalArgumentException(
          "allowlist: [] (expected at least one CIDR in mode "
              + mode.configName()
              + ", or it denies everyone)");
    }
    if (mode.usesToken()) {
      if (tokenHeader == null || !isHeaderName(tokenHeader)) {
        throw new IllegalArgumentException(
            "token_header: "
                + (tokenHeader == null ? "null" : "\"" + tokenHeader + "\"")
                + " (expected an HTTP header name like X-Runtime-Token)");
      }
      Objects.requireNonNull(tokens, "tokens");
    }
    this.tokenHeader = tokenHeader;
    this.tokenHeaderIsAuthorization = AUTHORIZATION.equalsIgnoreCase(tokenHeader);
    this.tokens = tokens;
  }

  /**
   * @param clientIp the client's address literal, as resolved behind trusted proxies; null or
   *     garbage is outside every allowlist
   * @param header a request header by name, or null when absent; the lookup must be
   *     case-insensitive, as Vert.x's {@code MultiMap} is
   */
  public Verdict check(String clientIp, Function<String, String> header) {
    switch (mode) {
      case OFF:
        return Verdict.ALLOWED;
      case ALLOWLIST:
        return allowlist.contains(clientIp) ? Verdict.ALLOWED : Verdict.NOT_ALLOWLISTED;
      case TOKEN:
        return checkToken(header);
      case ALLOWLIST_OR_TOKEN:
        if (allowlist.contains(clientIp)) {
          return Verdict.ALLOWED;
        }
        Verdict byToken = checkToken(header);
        return byToken == Verdict.MISSING_TOKEN ? Verdict.NOT_ALLOWLISTED : byToken;
      case ALLOWLIST_AND_TOKEN:
        return allowlist.contains(clientIp) ? checkToken(header) : Verdict.NOT_ALLOWLISTED;
      default:
        throw new AssertionError(mode);
    }
  }

  public Mode mode() {
    return mode;
  }

  private Verdict checkToken(Function<String, String> header) {
    String direct = tokenHeaderIsAuthorization ? null : header.apply(tokenHeader);
    int directStart = direct == null ? -1 : skipSpaces(direct, 0);
    int directEnd = direct == null ? -1 : trimEnd(direct, directStart);
    boolean hasDirect = directStart >= 0 && directStart < directEnd;

    String authorization = header.apply(AUTHORIZATION);
    int bearerStart = bearerCredentialStart(authorization);
    int bearerEnd = bearerStart < 0 ? -1 : trimEnd(authorization, bearerStart);
    boolean hasBearer = bearerStart >= 0 && bearerStart < bearerEnd;

    if (!hasDirect && !hasBearer) {
      return Verdict.MISSING_TOKEN;
    }
    byte[] want = expectedDigest();
    if (want == null) {
      return Verdict.BAD_TOKEN;
    }
    // Non-short-circuit: both presented forms are always hashed.
    boolean ok = hasDirect && TokenDigest.matches(direct, directStart, directEnd, want);
    ok |= hasBearer && TokenDigest.matches(authorization, bearerStart, bearerEnd, want);
    return ok ? Verdict.ALLOWED : Verdict.BAD_TOKEN;
  }

  /** The digest of the current token, recomputed only when the source hands out a new array. */
  private byte[] expectedDigest() {
    byte[] token = tokens.current();
    if (token == null) {
      return null;
    }
    Expected e = expected;
    if (e == null || e.token != token) {
      e = new Expected(token, TokenDigest.sha256(token));
      expected = e;
    }
    return e.digest;
  }

  /** Where the credential of {@code Bearer <credential>} starts, or -1 for any other value. */
  private static int bearerCredentialStart(String authorization) {
    if (authorization == null) {
      return -1;
    }
    int i = skipSpaces(authorization, 0);
    if (!authorization.regionMatches(true, i, BEARER, 0, BEARER.length())) {
      return -1;
    }
    i += BEARER.length();
    if (i >= authorization.length() || authorization.charAt(i) != ' ') {
      return -1;
    }
    return skipSpaces(authorization, i);
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static int trimEnd(String s, int from) {
    int end = s.length();
    while (end > from && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
      end--;
    }
    return end;
  }

  private static boolean isHeaderName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean tchar =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!tchar) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "EndpointGuard{mode="
        + mode.configName()
        + ", allowlist="
        + allowlist
        + ", tokenHeader="
        + tokenHeader
        + ", tokens="
        + tokens
        + "}";
  }
}
