package io.supercharger.security;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Constant-time token comparison. Both sides are reduced to SHA-256 digests and compared with
 * {@link MessageDigest#isEqual}, so the time depends neither on the first differing byte nor on the
 * configured token's length. A per-thread digest and output buffer keep a comparison free of
 * allocation: it runs for every guarded request on the event loop.
 */
final class TokenDigest {

  private static final int SHA256_BYTES = 32;
  private static final ThreadLocal<TokenDigest> PER_THREAD =
      ThreadLocal.withInitial(TokenDigest::new);

  private final MessageDigest sha256;
  private final byte[] out = new byte[SHA256_BYTES];

  private TokenDigest() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  /** The digest of a configured token; computed once per token change. */
  static byte[] sha256(byte[] token) {
    MessageDigest md = PER_THREAD.get().sha256;
    md.reset();
    return md.digest(token);
  }

  /**
   * Whether {@code value[from, to)} hashes to {@code want}. Chars are taken as the wire bytes
   * (Netty decodes header bytes one per char), so a UTF-8 token matches its raw bytes.
   */
  static boolean matches(String value, int from, int to, byte[] want) {
    return PER_THREAD.get().matchesRange(value, from, to, want);
  }

  private boolean matchesRange(String value, int from, int to, byte[] want) {
    sha256.reset();
    boolean latin1 = true;
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      // A char above 0xFF cannot come off the wire; it must not match by truncation.
      latin1 &= c <= 0xFF;
      sha256.update((byte) c);
    }
    try {
      sha256.digest(out, 0, SHA256_BYTES);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 output buffer", e);
    }
    return MessageDigest.isEqual(out, want) & latin1;
  }
}
