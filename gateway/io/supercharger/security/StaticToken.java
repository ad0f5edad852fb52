package io.supercharger.security;

import java.nio.charset.StandardCharsets;

/** A token fixed at startup, from {@code RUNTIME_ENDPOINT_SECURITY_TOKEN}. */
public final class StaticToken implements TokenSource {

  private final byte[] token;

  /**
   * @param value the token; trailing whitespace (a newline from {@code $(cat file)}) is dropped.
   *     Null or blank means no token is configured.
   */
  public StaticToken(String value) {
    String trimmed = value == null ? "" : value.stripTrailing();
    this.token = trimmed.isEmpty() ? null : trimmed.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] current() {
    return token;
  }

  @Override
  public String toString() {
    return token == null ? "StaticToken{unset}" : "StaticToken{set}";
  }
}
