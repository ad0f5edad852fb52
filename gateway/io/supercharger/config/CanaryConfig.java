package io.supercharger.config;

import java.util.List;
import java.util.Map;

/** The canary section (driven by the canary controller). Validated now so a typo fails early. */
public record CanaryConfig(
    boolean enabled,
    String pool,
    String baseline,
    List<Integer> steps,
    int intervalSecond,
    int minRequests,
    int failedWindowsToRollback,
    String policy,
    String stateFile,
    double baselineP95Factor,
    String onFailure,
    int mitigationMaxRequest,
    int mitigationMaxUptimeSecond) {

  static CanaryConfig read(Node node, Map<String, PoolConfig> pools, ConfigPaths paths) {
    boolean enabled = node.bool("enabled", true);
    String pool = poolName(node, "pool", pools);
    String baseline = poolName(node, "baseline", pools);
    if (pool != null && pool.equals(baseline)) {
      node.problems()
          .add(node.pathOf("baseline"), baseline, "expected a pool other than canary.pool");
    }
    List<Integer> steps = new java.util.ArrayList<>();
    Object raw = node.raw("steps");
    if (raw instanceof List<?> list && !list.isEmpty()) {
      int previous = -1;
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof Integer s) || s <= previous || s > 100) {
          node.problems()
              .add(
                  node.pathOf("steps") + "[" + i + "]",
                  list.get(i),
                  "expected increasing percents up to 100");
          break;
        }
        steps.add(s);
        previous = s;
      }
    } else if (raw != null) {
      node.problems()
          .add(
              node.pathOf("steps"),
              raw,
              "expected a list of percents like [1, 5, 10, 25, 50, 100]");
    } else {
      steps.addAll(List.of(1, 5, 10, 25, 50, 100));
    }
    // The runbook's incident triage: "enable aggressive recycle (MAX_REQUEST=50, MAX_UPTIME=600)".
    Node mitigation = node.child("mitigation");
    int mitigationMaxRequest = mitigation.integer("max_request", 50, 1, Integer.MAX_VALUE);
    int mitigationMaxUptime = mitigation.integer("max_uptime_second", 600, 1, Integer.MAX_VALUE);
    mitigation.rejectUnknownKeys();
    CanaryConfig c =
        new CanaryConfig(
            enabled,
            pool,
            baseline,
            List.copyOf(steps),
            node.integer("interval_second", 300, 1, 86_400 * 7),
            node.integer("min_requests", 200, 1, Integer.MAX_VALUE),
            node.integer("failed_windows_to_rollback", 2, 1, 1000),
            paths.resolve(node.string("policy", "")),
            paths.resolve(node.string("state_file", "state/canary.json")),
            baselineFactor(node),
            node.oneOf("on_failure", "rollback", java.util.List.of("rollback", "mitigate")),
            mitigationMaxRequest,
            mitigationMaxUptime);
    node.rejectUnknownKeys();
    return c;
  }

  /** 0 = no comparison; else the canary's p95 may be at most the baseline's times this. */
  private static double baselineFactor(Node node) {
    Object v = node.raw("baseline_p95_factor");
    if (v == null) {
      return 0;
    }
    if (!(v instanceof Number n) || n.doubleValue() < 1) {
      node.problems()
          .add(node.pathOf("baseline_p95_factor"), v, "expected a number of at least 1, like 1.2");
      return 0;
    }
    return n.doubleValue();
  }

  private static String poolName(Node node, String key, Map<String, PoolConfig> pools) {
    String name = node.string(key, null);
    if (name == null) {
      node.problems().add(node.pathOf(key) + ": required");
    } else if (!pools.containsKey(name)) {
      node.problems().add(node.pathOf(key), name, "no pool of that name");
    }
    return name;
  }
}
