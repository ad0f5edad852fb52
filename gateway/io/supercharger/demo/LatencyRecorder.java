package io.supercharger.demo;

import java.util.Arrays;

/** Latencies of one route, kept exactly (a demo run is small), plus its error count. */
public final class LatencyRecorder {
  private long[] micros = new long[4096];
  private int count;
  private int errors;

  synchronized void record(long nanos, boolean error) {
    if (count == micros.length) {
      micros = Arrays.copyOf(micros, count * 2);
    }
    micros[count++] = nanos / 1000;
    if (error) {
      errors++;
    }
  }

  public synchronized int count() {
    return count;
  }

  public synchronized int errors() {
    return errors;
  }

  /** The q-quantile in milliseconds (nearest rank), or NaN with no samples. */
  public synchronized double quantileMs(double q) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(micros, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * count) - 1;
    return sorted[Math.max(0, Math.min(count - 1, rank))] / 1000.0;
  }
}
