package io.supercharger.config;

/**
 * Worker lifecycle (runbook: RUNTIME_WORKER_LIFECYCLE_*). The top-level section sets the defaults,
 * {@code pools.<name>.lifecycle} overrides any key for one pool. A limit of 0 switches that trigger
 * off.
 *
 * @param jitterPercent per-instance spread of the request and uptime limits, so a fleet started
 *     together does not recycle together (gunicorn's max_requests_jitter)
 * @param maxUnavailable instances of one pool draining, recycling or restarting at once
 * @param minRecycleIntervalSecond anti-thrash: the least time between two recycles of an instance
 * @param maxRecyclesPerMinute anti-thrash: above this a pool's automatic recycling pauses
 */
public record LifecycleConfig(
    boolean enabled,
    int maxRequest,
    int maxMemoryMb,
    int maxUptimeSecond,
    int drainSecond,
    int jitterPercent,
    int maxUnavailable,
    int minRecycleIntervalSecond,
    int maxRecyclesPerMinute) {

  static final LifecycleConfig BUILT_IN =
      new LifecycleConfig(true, 1000, 512, 3600, 10, 10, 1, 5, 6);

  static LifecycleConfig read(Node node, LifecycleConfig defaults) {
    LifecycleConfig c =
        new LifecycleConfig(
            node.bool("enabled", defaults.enabled),
            node.integer("max_request", defaults.maxRequest, 0, Integer.MAX_VALUE),
            node.integer("max_memory_mb", defaults.maxMemoryMb, 0, 1 << 20),
            node.integer("max_uptime_second", defaults.maxUptimeSecond, 0, Integer.MAX_VALUE),
            node.integer("drain_second", defaults.drainSecond, 0, 3600),
            node.integer("jitter_percent", defaults.jitterPercent, 0, 50),
            node.integer("max_unavailable", defaults.maxUnavailable, 1, 1000),
            node.integer(
                "min_recycle_interval_second", defaults.minRecycleIntervalSecond, 0, 86_400),
            node.integer("max_recycles_per_minute", defaults.maxRecyclesPerMinute, 1, 100_000));
    node.rejectUnknownKeys();
    return c;
  }

  /** Whether any trigger can fire. */
  public boolean hasTrigger() {
    return maxRequest > 0 || maxMemoryMb > 0 || maxUptimeSecond > 0;
  }

  /**
   * A copy with the runbook's incident mitigation limits (aggressive recycling), for the canary.
   */
  public LifecycleConfig withLimits(int maxRequest, int maxUptimeSecond) {
    return new LifecycleConfig(
        enabled,
        maxRequest,
        maxMemoryMb,
        maxUptimeSecond,
        drainSecond,
        jitterPercent,
        maxUnavailable,
        minRecycleIntervalSecond,
        maxRecyclesPerMinute);
  }
}
