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
    String stateFile) {

  static CanaryConfig read(Node node, Map<String, PoolConfig> pools, ConfigPaths paths) {
    boolean enabled = node.bool("enabled", true);
    String pool = poolName(node, "pool", pools);
    String baseline = poolName(node, "baseline", pools);
    if (pool != null && pool.equals(baseline)) {
      node.problems().add(node.pathOf("baseline"), baseline, "expected a pool other than canary.pool");
    }
    List<Integer> steps = new java.util.ArrayList<>();
    Object raw = node.raw("steps");
    if (raw instanceof List<?> list && !list.isEmpty()) {
      int previous = -1;
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof Integer s) || s <= previous || s > 100) {
          node.problems().add(node.pathOf("steps") + "[" + i + "]", list.get(i),
              "expected increasing percents up to 100");
          break;
        }
        steps.add(s);
        previous = s;
      }
    } else if (raw != null) {
      node.problems().add(node.pathOf("steps"), raw, "expected a list of percents like [1, 5, 10, 25, 50, 100]");
    } else {
      steps.addAll(List.of(1, 5, 10, 25, 50, 100));
    }
    CanaryConfig c = new CanaryConfig(enabled, pool, baseline, List.copyOf(steps),
        node.integer("interval_second", 300, 1, 86_400 * 7),
        node.integer("min_requests", 200, 1, Integer.MAX_VALUE),
        node.integer("failed_windows_to_rollback", 2, 1, 1000),
        paths.resolve(node.string("policy", "")),
        paths.resolve(node.string("state_file", "state/canary.json")));
    node.rejectUnknownKeys();
    return c;
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
