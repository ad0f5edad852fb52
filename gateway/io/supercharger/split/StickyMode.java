package io.supercharger.split;

/** What keeps a client on its pool between requests ({@code split.sticky}). */
public enum StickyMode {
  /**
   * The cookie holds the client's bucket (0..9999); the gateway assigns it on the first request.
   */
  COOKIE,
  /** A request header (a user or session id) is hashed to a bucket. */
  HEADER,
  /** The client address is hashed to a bucket. */
  IP,
  /** No stickiness: every request is a weighted round-robin pick. */
  NONE;

  /**
   * Parses the config value ({@code cookie}, {@code header}, {@code ip}, {@code none}).
   *
   * @throws IllegalArgumentException {@code split.sticky: "x" (expected: cookie, header, ip or
   *     none)}
   */
  public static StickyMode fromConfig(String value) {
    if (value != null) {
      switch (value) {
        case "cookie":
          return COOKIE;
        case "header":
          return HEADER;
        case "ip":
          return IP;
        case "none":
          return NONE;
        default:
          break;
      }
    }
    throw new IllegalArgumentException(
        "split.sticky: "
            + (value == null ? "null" : "\"" + value + "\"")
            + " (expected: cookie, header, ip or none)");
  }
}
