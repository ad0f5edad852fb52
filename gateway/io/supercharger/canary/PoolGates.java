package io.supercharger.canary;

import io.supercharger.lifecycle.PoolLifecycle;
import io.supercharger.policy.SloPolicy;
import io.supercharger.upstream.Instance;
import io.supercharger.upstream.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The runbook's pool-level gates: worker recycling without thrash, and memory at steady state (no
 * growth beyond max_growth_pct over window_minutes for an instance that was not recycled).
 */
final class PoolGates {
  private final SloPolicy policy;
  private final Clock clock;

  /** Per instance: when we first saw it in its current life, and its memory then. */
  private final Map<Instance, Baseline> memory = new HashMap<>();

  private record Baseline(Instant readySince, Instant at, long bytes) {}

  PoolGates(SloPolicy policy, Clock clock) {
    this.policy = policy;
    this.clock = clock;
  }

  List<String> reasons(Pool pool, PoolLifecycle lifecycle) {
    List<String> reasons = new ArrayList<>();
    if (lifecycle != null && lifecycle.paused()) {
      reasons.add("recycle thrash: automatic recycling paused for pool " + pool.name());
    }
    Instant now = clock.instant();
    Duration window = Duration.ofMinutes(policy.memoryWindowMinutes());
    for (Instance instance : pool.instances()) {
      Long bytes = instance.stats().memoryBytes();
      if (bytes == null || instance.readySince() == null) {
        continue;
      }
      Baseline seen = memory.get(instance);
      if (seen == null || !seen.readySince().equals(instance.readySince())) {
        memory.put(instance, new Baseline(instance.readySince(), now, bytes));
        continue;
      }
      double growthPct = 100.0 * (bytes - seen.bytes()) / Math.max(1, seen.bytes());
      if (Duration.between(seen.at(), now).compareTo(window) <= 0
          && growthPct > policy.memoryMaxGrowthPct()) {
        reasons.add(
            "memory of "
                + instance.address()
                + " grew "
                + Judge.fmt(Math.round(growthPct))
                + "% > "
                + Judge.fmt(policy.memoryMaxGrowthPct())
                + "% within "
                + policy.memoryWindowMinutes()
                + " min");
      } else if (Duration.between(seen.at(), now).compareTo(window) > 0) {
        memory.put(instance, new Baseline(instance.readySince(), now, bytes));
      }
    }
    return reasons;
  }
}
