package io.supercharger.split;

import io.supercharger.split.SplitDecision.Reason;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntBinaryOperator;

/**
 * Chooses the pool of a request: the override header, then the sticky key, then smooth weighted
 * round-robin. Shared by every event-loop thread and lock-free: the weights live in an immutable
 * {@link SplitSnapshot} behind a volatile field, and round-robin is one shared counter into the
 * snapshot's precomputed sequence.
 *
 * <p>The counter survives weight updates. Any 100 consecutive counter values cover every residue of
 * a period (which divides 100) equally often, so windows of 100 picks within one snapshot stay
 * exact whatever the counter was when the snapshot arrived.
 *
 * <p><b>Override.</b> When enabled, an override value that names a configured pool wins, even when
 * that pool's weight is 0: the point is to try a pool before the canary sends it any traffic. An
 * unknown name is ignored (normal selection). Anyone who can send the header can choose a pool, so
 * production configs switch it off or let the caller pass it only from trusted peers.
 */
public final class Splitter {

  private final StickyMode stickyMode;
  private final boolean overrideEnabled;
  private final IntBinaryOperator randomInRange;
  private final AtomicLong roundRobinCounter = new AtomicLong();
  private volatile SplitSnapshot snapshot;

  /**
   * @param weights percent per pool in pool order (an ordered map), summing to 100
   * @throws IllegalArgumentException on invalid weights, naming {@code split.weights}
   */
  public Splitter(StickyMode stickyMode, boolean overrideEnabled, Map<String, Integer> weights) {
    this(
        stickyMode,
        overrideEnabled,
        weights,
        (origin, bound) -> ThreadLocalRandom.current().nextInt(origin, bound));
  }

  /** As above, with the source of new cookie buckets: {@code (origin, bound) → [origin, bound)}. */
  Splitter(
      StickyMode stickyMode,
      boolean overrideEnabled,
      Map<String, Integer> weights,
      IntBinaryOperator randomInRange) {
    this.stickyMode = Objects.requireNonNull(stickyMode, "stickyMode");
    this.overrideEnabled = overrideEnabled;
    this.randomInRange = randomInRange;
    this.snapshot = SplitSnapshot.of(weights);
  }

  /**
   * Picks the pool of one request.
   *
   * @param overrideValue the override header's value, or null
   * @param stickyValue by mode: the sticky cookie's value, the sticky header's value or the client
   *     address; null when absent. An empty header or address counts as absent.
   */
  public SplitDecision pick(String overrideValue, String stickyValue) {
    SplitSnapshot s = snapshot;
    if (overrideEnabled && overrideValue != null) {
      int forced = s.indexOf(overrideValue);
      if (forced >= 0) {
        return s.overrideDecision(forced);
      }
    }
    if (s.poolCount() == 1) {
      // Nothing to split, so nothing to keep sticky: no cookie, no shared counter touched.
      return s.roundRobinDecision(0);
    }
    switch (stickyMode) {
      case COOKIE:
        return byCookie(s, stickyValue);
      case HEADER:
      case IP:
        if (stickyValue != null && !stickyValue.isEmpty()) {
          return sticky(s, StickyKeys.hashBucket(stickyValue));
        }
        return s.roundRobinDecision(s.roundRobin(roundRobinCounter.getAndIncrement()));
      default:
        return s.roundRobinDecision(s.roundRobin(roundRobinCounter.getAndIncrement()));
    }
  }

  private SplitDecision byCookie(SplitSnapshot s, String cookie) {
    int bucket = StickyKeys.cookieBucket(cookie);
    if (bucket >= 0) {
      return sticky(s, bucket);
    }
    // Round-robin picks the pool so that new clients arrive in the exact weighted proportion; the
    // random bucket inside that pool's range then keeps the client there on later requests. The
    // pool's weight is > 0 (round-robin never picks a weight-0 pool), so its range is not empty.
    int pool = s.roundRobin(roundRobinCounter.getAndIncrement());
    int newBucket = randomInRange.applyAsInt(s.rangeStart(pool), s.rangeEnd(pool));
    return new SplitDecision(pool, s.pool(pool), newBucket, Reason.NEW_ASSIGNMENT);
  }

  private static SplitDecision sticky(SplitSnapshot s, int bucket) {
    int pool = s.poolOfBucket(bucket);
    return new SplitDecision(pool, s.pool(pool), bucket, Reason.STICKY);
  }

  /**
   * Publishes new weights for the configured pools (their order is kept, whatever the map's order).
   *
   * @return the new snapshot
   * @throws IllegalArgumentException when the pools differ or the weights are invalid; the current
   *     snapshot then stays
   */
  public SplitSnapshot update(Map<String, Integer> weights) {
    SplitSnapshot next = snapshot.withWeights(weights);
    snapshot = next;
    return next;
  }

  /** The current snapshot (weights, ranges) for {@code /status} and metrics. */
  public SplitSnapshot snapshot() {
    return snapshot;
  }

  public StickyMode stickyMode() {
    return stickyMode;
  }

  public boolean overrideEnabled() {
    return overrideEnabled;
  }
}
