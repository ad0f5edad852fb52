package io.supercharger.server;

import java.util.concurrent.ThreadLocalRandom;

/** 128-bit random request ids in hex, without UUID's SecureRandom and formatting cost. */
final class RequestIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] out = new char[32];
    fill(out, 0, random.nextLong());
    fill(out, 16, random.nextLong());
    return new String(out);
  }

  private static void fill(char[] out, int offset, long bits) {
    for (int i = 15; i >= 0; i--) {
      out[offset + i] = HEX[(int) (bits & 0xF)];
      bits >>>= 4;
    }
  }
}
