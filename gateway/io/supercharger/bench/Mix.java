package io.supercharger.bench;

import java.util.List;

/**
 * Picks the scenario's requests in exact proportion to their weights. The order is nginx's smooth
 * weighted round-robin, precomputed once into a cycle of sum(weights) slots: every window of that
 * length holds each request exactly {@code weight} times, spread out rather than in runs, and
 * {@link #pick(long)} is a pure array lookup that any thread may call.
 */
public final class Mix {
  private final int[] cycle;

  public Mix(List<Integer> weights) {
    int total = weights.stream().mapToInt(Integer::intValue).sum();
    if (weights.isEmpty() || total <= 0) {
      throw new IllegalArgumentException(
          "weights: " + weights + " (expected: at least one positive weight)");
    }
    cycle = new int[total];
    int[] current = new int[weights.size()];
    for (int slot = 0; slot < total; slot++) {
      int best = 0;
      for (int i = 0; i < current.length; i++) {
        current[i] += weights.get(i);
        if (current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      cycle[slot] = best;
    }
  }

  /** The index of the request for the {@code sequence}-th arrival. */
  public int pick(long sequence) {
    return cycle[(int) (sequence % cycle.length)];
  }
}
