package io.supercharger.canary;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latency and errors of one pool and route class over the last N seconds: a ring of one-second
 * slots, each a small histogram. Recording is a few atomic increments on the request path; reading
 * merges the slots of the window. The bucket edges include the SLO edges 250 and 700 ms, so a gate
 * on them is decided exactly.
 */
public final class SlidingWindows {
  /** Upper bucket edges in milliseconds; the last bucket is everything above. */
  static final double[] EDGES_MS = {
    1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 250, 300, 400, 500, 600, 700, 850, 1000,
    1500, 2000, 3000, 5000, 10000, 30000
  };

  private static final int BUCKETS = EDGES_MS.length + 1;
  private static final int ERRORS = BUCKETS;

  private final Clock clock;
  private final int seconds;
  private final AtomicLongArray counts;
  private final AtomicLong[] slotEpoch;

  public SlidingWindows(Clock clock, int seconds) {
    this.clock = clock;
    this.seconds = seconds;
    this.counts = new AtomicLongArray(seconds * (BUCKETS + 1));
    this.slotEpoch = new AtomicLong[seconds];
    for (int i = 0; i < seconds; i++) {
      slotEpoch[i] = new AtomicLong(-1);
    }
  }

  public void record(long nanos, boolean error) {
    long now = clock.millis() / 1000;
    int slot = slotFor(now);
    double ms = nanos / 1_000_000.0;
    int bucket = 0;
    while (bucket < EDGES_MS.length && ms > EDGES_MS[bucket]) {
      bucket++;
    }
    int base = slot * (BUCKETS + 1);
    counts.incrementAndGet(base + bucket);
    if (error) {
      counts.incrementAndGet(base + ERRORS);
    }
  }

  /** A slot belongs to one second; the first writer of a new second clears what it held. */
  private int slotFor(long epochSecond) {
    int slot = (int) (epochSecond % seconds);
    AtomicLong epoch = slotEpoch[slot];
    long seen = epoch.get();
    if (seen != epochSecond && epoch.compareAndSet(seen, epochSecond)) {
      int base = slot * (BUCKETS + 1);
      for (int i = 0; i <= BUCKETS; i++) {
        counts.set(base + i, 0);
      }
    }
    return slot;
  }

  /** The last {@code windowSeconds} (at most the ring's size), up to now. */
  public Snapshot snapshot(int windowSeconds) {
    long now = clock.millis() / 1000;
    long[] merged = new long[BUCKETS + 1];
    int span = Math.min(windowSeconds, seconds);
    for (int i = 0; i < span; i++) {
      long second = now - i;
      int slot = (int) (second % seconds);
      if (slotEpoch[slot].get() != second) {
        continue;
      }
      int base = slot * (BUCKETS + 1);
      for (int b = 0; b <= BUCKETS; b++) {
        merged[b] += counts.get(base + b);
      }
    }
    return new Snapshot(merged);
  }

  /** A merged window: count, errors, and quantiles at bucket resolution. */
  public static final class Snapshot {
    private final long[] merged;
    private final long total;

    Snapshot(long[] merged) {
      this.merged = merged;
      long t = 0;
      for (int b = 0; b < BUCKETS; b++) {
        t += merged[b];
      }
      this.total = t;
    }

    public long count() {
      return total;
    }

    public long errors() {
      return merged[ERRORS];
    }

    public double errorRatePct() {
      return total == 0 ? 0 : 100.0 * merged[ERRORS] / total;
    }

    /**
     * The upper edge of the bucket that holds the q-quantile (as histogram_quantile would bound
     * it).
     */
    public double quantileMs(double q) {
      if (total == 0) {
        return Double.NaN;
      }
      long rank = (long) Math.ceil(q * total);
      long seen = 0;
      for (int b = 0; b < BUCKETS; b++) {
        seen += merged[b];
        if (seen >= rank) {
          return b < EDGES_MS.length ? EDGES_MS[b] : Double.POSITIVE_INFINITY;
        }
      }
      return Double.POSITIVE_INFINITY;
    }
  }
}
