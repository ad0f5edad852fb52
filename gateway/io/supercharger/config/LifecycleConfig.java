package io.supercharger.config;

/**
 * Worker lifecycle limits (runbook: RUNTIME_WORKER_LIFECYCLE_*). A limit of 0 switches that trigger
 * off.
 */
public record LifecycleConfig(
    boolean enabled, int maxRequest, int maxMemoryMb, int maxUptimeSecond, int drainSecond) {

  static LifecycleConfig read(Node node) {
    LifecycleConfig c = new LifecycleConfig(
        node.bool("enabled", true),
        node.integer("max_request", 1000, 0, Integer.MAX_VALUE),
        node.integer("max_memory_mb", 512, 0, 1 << 20),
        node.integer("max_uptime_second", 3600, 0, Integer.MAX_VALUE),
        node.integer("drain_second", 10, 0, 3600));
    node.rejectUnknownKeys();
    return c;
  }
}
