package io.supercharger.split;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StickyKeysTest {

  /** The published FNV-1a 32 test vectors. */
  @ParameterizedTest
  @CsvSource({"'', 811c9dc5", "a, e40c292c", "foobar, bf9cf968"})
  void fnv1aMatchesTheReferenceVectors(String input, String hex) {
    assertEquals(Integer.parseUnsignedInt(hex, 16), StickyKeys.fnv1a32Utf8(input));
  }

  /**
   * The on-the-fly UTF-8 encoding must agree with the JDK's encoder, or non-ASCII ids would drift.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "user-42",
        "caf\u00e9",
        "\u65e5\u672c",
        "\ud83d\ude00 smile",
        "\ud800 lone",
        "x\udc00",
        "2001:db8::1"
      })
  void fnv1aHashesTheUtf8Bytes(String input) {
    int h = 0x811c9dc5;
    for (byte b : input.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xFF)) * 0x01000193;
    }
    assertEquals(h, StickyKeys.fnv1a32Utf8(input));
  }

  /**
   * Pinned outputs. If this test fails, the hash changed, and every header- or ip-sticky client in
   * production would move to another bucket (and maybe pool) on upgrade. Do not update the numbers
   * unless that is intended.
   */
  @Test
  void hashBucketIsPinned() {
    String[] keys = {"user-42", "203.0.113.7", "2001:db8::1", "session-abc", ""};
    StringBuilder actual = new StringBuilder();
    for (int i = 0; i < keys.length; i++) {
      actual.append(StickyKeys.hashBucket(keys[i])).append(' ');
    }
    assertEquals(PINNED, actual.toString().trim());
  }

  // Computed independently: FNV-1a 32 over UTF-8, murmur3 fmix32, unsigned mod 10000 (Python
  // reference).
  private static final String PINNED = "1798 2278 3818 7216 8923";

  /** Sequential ids must spread over the ranges, not cluster in one pool. */
  @Test
  void sequentialIdsSpreadEvenlyOverTenRanges() {
    int[] counts = new int[10];
    for (int i = 0; i < 100_000; i++) {
      counts[StickyKeys.hashBucket("user-" + i) / 1000]++;
    }
    for (int c : counts) {
      // 10000 expected per range; ±5% is about 16 standard deviations
      assertEquals(10_000, c, 500);
    }
  }
}
