package io.supercharger.lifecycle;

import io.supercharger.config.LifecycleConfig;
import io.supercharger.upstream.Instance;
import io.supercharger.upstream.InstanceStats;
import io.supercharger.upstream.RecycleReason;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether an instance is due for a recycle. The request and uptime limits are lowered by the
 * instance's jitter draw (up to jitter_percent), so a fleet started together spreads out; memory is
 * a hard ceiling and gets no jitter.
 */
final class Triggers {
  private Triggers() {}

  static RecycleReason due(Instance instance, LifecycleConfig config, Instant now) {
    double spread = 1.0 - config.jitterPercent() / 100.0 * instance.jitterFactor();
    if (config.maxRequest() > 0
        && instance.requestsSinceReady() >= Math.max(1, (long) (config.maxRequest() * spread))) {
      return RecycleReason.MAX_REQUEST;
    }
    InstanceStats stats = instance.stats();
    if (config.maxMemoryMb() > 0
        && stats.memoryBytes() != null
        && stats.memoryBytes() >= config.maxMemoryMb() * 1024L * 1024L) {
      return RecycleReason.MAX_MEMORY;
    }
    if (config.maxUptimeSecond() > 0 && instance.readySince() != null) {
      long limitMs = Math.max(1000, (long) (config.maxUptimeSecond() * 1000L * spread));
      if (Duration.between(instance.readySince(), now).toMillis() >= limitMs) {
        return RecycleReason.MAX_UPTIME;
      }
    }
    return null;
  }
}
