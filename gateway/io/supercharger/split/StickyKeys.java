package io.supercharger.split;

/**
 * Turns a sticky key into a bucket 0..9999. Pure and allocation-free; these run on every request.
 */
public final class StickyKeys {

  public static final int BUCKETS = 10_000;

  private static final int FNV_OFFSET = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  private StickyKeys() {}

  /**
   * The bucket a cookie value holds, or -1 when it is not one we could have set: exactly the
   * canonical decimal of 0..9999 ({@code Integer.toString}), so no sign, no blank, no leading zero,
   * no exponent. Anything else is forged or stale and gets a new assignment; it is never trusted as
   * a pool.
   */
  public static int cookieBucket(String value) {
    if (value == null) {
      return -1;
    }
    int n = value.length();
    if (n == 0 || n > 4 || n > 1 && value.charAt(0) == '0') {
      return -1;
    }
    int bucket = 0;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      bucket = bucket * 10 + (c - '0');
    }
    return bucket;
  }

  /**
   * The bucket of a header value or client address: FNV-1a (32 bit) over the UTF-8 bytes, finished
   * with murmur3's fmix32, taken unsigned mod 10000. FNV-1a alone mixes its low bits poorly, and
   * {@code mod 10000} keeps mostly low bits; fmix32 spreads every input bit over the whole word.
   *
   * <p>This function is part of the deployed state: changing it moves every header- or ip-sticky
   * client to a new bucket, so its output is pinned by tests.
   */
  public static int hashBucket(String key) {
    return Integer.remainderUnsigned(fmix32(fnv1a32Utf8(key)), BUCKETS);
  }

  /**
   * FNV-1a 32 of the UTF-8 encoding of {@code s}, encoded on the fly (a lone surrogate hashes as
   * '?').
   */
  static int fnv1a32Utf8(String s) {
    int h = FNV_OFFSET;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      int c = s.charAt(i);
      if (c < 0x80) {
        h = (h ^ c) * FNV_PRIME;
      } else if (c < 0x800) {
        h = (h ^ (0xC0 | c >> 6)) * FNV_PRIME;
        h = (h ^ (0x80 | c & 0x3F)) * FNV_PRIME;
      } else if (Character.isHighSurrogate((char) c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint((char) c, s.charAt(++i));
        h = (h ^ (0xF0 | cp >> 18)) * FNV_PRIME;
        h = (h ^ (0x80 | cp >> 12 & 0x3F)) * FNV_PRIME;
        h = (h ^ (0x80 | cp >> 6 & 0x3F)) * FNV_PRIME;
        h = (h ^ (0x80 | cp & 0x3F)) * FNV_PRIME;
      } else if (Character.isSurrogate((char) c)) {
        h = (h ^ '?') * FNV_PRIME;
      } else {
        h = (h ^ (0xE0 | c >> 12)) * FNV_PRIME;
        h = (h ^ (0x80 | c >> 6 & 0x3F)) * FNV_PRIME;
        h = (h ^ (0x80 | c & 0x3F)) * FNV_PRIME;
      }
    }
    return h;
  }

  private static int fmix32(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
