package io.supercharger.split;

import io.supercharger.split.SplitDecision.Reason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One immutable set of pool weights and everything derived from it. New weights make a new
 * snapshot; {@link Splitter} publishes it atomically.
 *
 * <p><b>Bucket ranges.</b> Pools own consecutive ranges of the 10000 buckets in pool order: the
 * first pool owns {@code [0, w1*100)}, the next {@code [w1*100, (w1+w2)*100)}, and so on. With
 * pools (worker, fpm), raising the worker weight only moves the boundary up, so sticky clients move
 * only from fpm to worker; the order of the pools is therefore fixed when the splitter is built and
 * kept by every {@link #withWeights} update.
 *
 * <p><b>Smooth weighted round-robin</b> (nginx's algorithm). Each pool has a running score {@code
 * current}. At each pick every score grows by its pool's weight, the pool with the highest score
 * wins (the first in pool order on a tie), and the winner's score drops by the total weight. The
 * scores always sum to 0 after a pick, and after {@code total} picks every score is back at 0 with
 * each pool picked exactly {@code weight} times, interleaved as evenly as the weights allow.
 * Scaling all weights by a common factor scales every score alike and changes no choice, so the
 * sequence for the weights divided by their gcd is one full period. That period divides 100, hence
 * every window of 100 consecutive picks holds exactly {@code weight} picks of each pool. The
 * sequence is computed here once; picking is an array read at a shared counter.
 */
public final class SplitSnapshot {

  private static final int TOTAL = 100;

  private final String[] pools;
  private final int[] weights;

  /** Exclusive upper bucket of each pool's range; the range starts at the previous pool's end. */
  private final int[] rangeEnds;

  /** One period of the SWRR order, as pool indices. */
  private final int[] sequence;

  private final SplitDecision[] overrideDecisions;
  private final SplitDecision[] roundRobinDecisions;
  private final List<String> poolList;
  private final Map<String, Integer> weightMap;

  private SplitSnapshot(String[] pools, int[] weights) {
    this.pools = pools;
    this.weights = weights;
    this.rangeEnds = new int[pools.length];
    int end = 0;
    for (int i = 0; i < pools.length; i++) {
      end += weights[i] * (StickyKeys.BUCKETS / TOTAL);
      rangeEnds[i] = end;
    }
    this.sequence = smoothWeightedRoundRobin(weights);
    this.overrideDecisions = new SplitDecision[pools.length];
    this.roundRobinDecisions = new SplitDecision[pools.length];
    Map<String, Integer> map = new LinkedHashMap<>();
    for (int i = 0; i < pools.length; i++) {
      overrideDecisions[i] = new SplitDecision(i, pools[i], -1, Reason.OVERRIDE);
      roundRobinDecisions[i] = new SplitDecision(i, pools[i], -1, Reason.ROUND_ROBIN);
      map.put(pools[i], weights[i]);
    }
    this.poolList = List.of(pools);
    this.weightMap = Collections.unmodifiableMap(map);
  }

  /**
   * A snapshot of {@code weights} (percent per pool) whose pool order is the map's iteration order:
   * pass an ordered map (the YAML loader's {@code LinkedHashMap}), never a {@code Map.of}.
   *
   * @throws IllegalArgumentException {@code split.weights: sum is 90 (expected 100)}, and the like
   */
  public static SplitSnapshot of(Map<String, Integer> weights) {
    if (weights == null || weights.isEmpty()) {
      throw new IllegalArgumentException("split.weights: empty (expected: at least one pool)");
    }
    List<String> names = new ArrayList<>(weights.keySet());
    return build(names, weights);
  }

  /**
   * A snapshot with new weights for the same pools, in this snapshot's order whatever the map's
   * order, so that bucket ranges keep their places.
   *
   * @throws IllegalArgumentException when the pools differ or the weights are invalid
   */
  public SplitSnapshot withWeights(Map<String, Integer> newWeights) {
    if (newWeights == null || !newWeights.keySet().equals(weightMap.keySet())) {
      throw new IllegalArgumentException(
          "split.weights: pools "
              + (newWeights == null ? "null" : new ArrayList<>(newWeights.keySet()).toString())
              + " (expected: the configured pools "
              + poolList
              + ")");
    }
    return build(poolList, newWeights);
  }

  private static SplitSnapshot build(List<String> names, Map<String, Integer> weights) {
    String[] pools = new String[names.size()];
    int[] w = new int[names.size()];
    int sum = 0;
    for (int i = 0; i < pools.length; i++) {
      String name = names.get(i);
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException(
            "split.weights: pool name "
                + (name == null ? "null" : "\"\"")
                + " (expected: a pool name)");
      }
      Integer weight = weights.get(name);
      if (weight == null || weight < 0 || weight > TOTAL) {
        throw new IllegalArgumentException(
            "split.weights." + name + ": " + weight + " (expected: 0..100)");
      }
      pools[i] = name;
      w[i] = weight;
      sum += weight;
    }
    if (sum != TOTAL) {
      throw new IllegalArgumentException("split.weights: sum is " + sum + " (expected 100)");
    }
    return new SplitSnapshot(pools, w);
  }

  private static int[] smoothWeightedRoundRobin(int[] weights) {
    int gcd = 0;
    for (int w : weights) {
      gcd = gcd(gcd, w);
    }
    int[] reduced = new int[weights.length];
    int period = 0;
    for (int i = 0; i < weights.length; i++) {
      reduced[i] = weights[i] / gcd;
      period += reduced[i];
    }
    int[] current = new int[weights.length];
    int[] sequence = new int[period];
    for (int k = 0; k < period; k++) {
      int best = -1;
      for (int i = 0; i < weights.length; i++) {
        current[i] += reduced[i];
        // Strictly greater: a tie goes to the pool listed first. A weight-0 pool stays at 0
        // while the maximum is always positive, so it is never picked.
        if (reduced[i] > 0 && (best < 0 || current[i] > current[best])) {
          best = i;
        }
      }
      current[best] -= period;
      sequence[k] = best;
    }
    return sequence;
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** The pool names in their fixed order. */
  public List<String> pools() {
    return poolList;
  }

  /**
   * Pool name to weight in percent, in pool order (for {@code /status} and {@code
   * gateway_pool_weight}).
   */
  public Map<String, Integer> weights() {
    return weightMap;
  }

  public int poolCount() {
    return pools.length;
  }

  public String pool(int index) {
    return pools[index];
  }

  public int weight(int index) {
    return weights[index];
  }

  /**
   * The index of a pool, or -1. A linear scan: there are a handful of pools, and it allocates
   * nothing.
   */
  public int indexOf(String pool) {
    for (int i = 0; i < pools.length; i++) {
      if (pools[i].equals(pool)) {
        return i;
      }
    }
    return -1;
  }

  /** First bucket of the pool's range (inclusive). */
  public int rangeStart(int index) {
    return index == 0 ? 0 : rangeEnds[index - 1];
  }

  /** End of the pool's range (exclusive); equal to {@link #rangeStart} for a weight-0 pool. */
  public int rangeEnd(int index) {
    return rangeEnds[index];
  }

  /** The pool that owns {@code bucket} (0..9999). */
  public int poolOfBucket(int bucket) {
    for (int i = 0; i < rangeEnds.length; i++) {
      if (bucket < rangeEnds[i]) {
        return i;
      }
    }
    throw new IllegalArgumentException("bucket: " + bucket + " (expected: 0..9999)");
  }

  /** Length of one SWRR period: 100 / gcd(weights). */
  public int roundRobinPeriod() {
    return sequence.length;
  }

  /** The pool of the {@code n}-th round-robin pick (n ≥ 0). */
  public int roundRobin(long n) {
    return sequence[(int) Long.remainderUnsigned(n, sequence.length)];
  }

  SplitDecision overrideDecision(int index) {
    return overrideDecisions[index];
  }

  SplitDecision roundRobinDecision(int index) {
    return roundRobinDecisions[index];
  }

  @Override
  public String toString() {
    return "SplitSnapshot" + weightMap;
  }
}
