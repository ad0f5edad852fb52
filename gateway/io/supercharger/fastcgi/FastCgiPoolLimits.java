package io.supercharger.fastcgi;

import io.supercharger.config.PoolConfig;
import io.supercharger.upstream.Instance;
import io.supercharger.upstream.Pool;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The connection caps of one FastCGI pool: one {@link FcgiInstanceLimit} per FPM instance, made
 * once and shared by every event loop's client, so max_children holds across loops.
 */
public final class FastCgiPoolLimits {
  private final Map<Instance, FcgiInstanceLimit> limits = new IdentityHashMap<>();

  public FastCgiPoolLimits(Pool pool) {
    PoolConfig config = pool.config();
    for (Instance instance : pool.instances()) {
      limits.put(
          instance,
          new FcgiInstanceLimit(config.fastcgi().maxChildren(), Math.max(1, config.maxQueue())));
    }
  }

  FcgiInstanceLimit of(Instance instance) {
    return limits.get(instance);
  }
}
