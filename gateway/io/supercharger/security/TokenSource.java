package io.supercharger.security;

/**
 * Where the endpoint token comes from: the environment ({@link StaticToken}) or a file that may be
 * rotated ({@link FileToken}).
 *
 * <p>Contract, relied on by {@link EndpointGuard} to hash a token once rather than per request:
 * {@link #current()} returns the <em>same array instance</em> for as long as the token is
 * unchanged, and a new instance when it changes. Callers must not modify the array. Implementations
 * must never show the token, nor its length, in {@code toString()} or logs.
 */
public interface TokenSource {

  /** The token's bytes, or null when none is configured or available (token checks then fail). */
  byte[] current();
}
