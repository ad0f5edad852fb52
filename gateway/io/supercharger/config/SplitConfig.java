package io.supercharger.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted, sticky split between pools. Weights are percents in the order written; the order
 * decides bucket ranges, so list the canary pool first.
 */
public record SplitConfig(
    Map<String, Integer> weights,
    String sticky,
    String cookie,
    String header,
    boolean overrideEnabled,
    String overrideHeader,
    boolean overrideFromAnyone) {

  static final List<String> STICKY = List.of("cookie", "header", "ip", "none");

  static SplitConfig read(Node node, Map<String, PoolConfig> pools) {
    LinkedHashMap<String, Integer> weights = new LinkedHashMap<>();
    String weightsPath = node.pathOf("weights");
    LinkedHashMap<String, Object> raw = node.entries("weights");
    if (raw.isEmpty() && pools.size() == 1) {
      weights.put(pools.keySet().iterator().next(), 100);
    } else if (raw.isEmpty() && pools.size() > 1) { // no pools at all is reported once, under pools
      node.problems().add(weightsPath + ": required when there is more than one pool");
    }
    int sum = 0;
    for (Map.Entry<String, Object> e : raw.entrySet()) {
      String path = weightsPath + "." + e.getKey();
      if (!pools.containsKey(e.getKey())) {
        node.problems()
            .add(
                path + ": no pool of that name (pools: " + String.join(", ", pools.keySet()) + ")");
      } else if (!(e.getValue() instanceof Integer w) || w < 0 || w > 100) {
        node.problems().add(path, e.getValue(), "expected a percent from 0 to 100");
      } else {
        weights.put(e.getKey(), w);
        sum += w;
      }
    }
    if (!raw.isEmpty() && weights.size() == raw.size() && sum != 100) {
      node.problems().add(weightsPath + ": sum is " + sum + " (expected 100)");
    }
    for (String pool : pools.keySet()) {
      weights.putIfAbsent(pool, 0);
    }
    String sticky = node.oneOf("sticky", "cookie", STICKY);
    String cookie = token(node, "cookie", "sc_bucket");
    String header = token(node, "header", "X-Split-Key");
    Node override = node.child("override");
    boolean overrideEnabled = override.bool("enabled", true);
    String overrideHeader = token(override, "header", "X-Supercharger-Pool");
    // Whoever may send the header picks a pool past the canary's weights: by default only the
    // addresses of security.allowlist (the ops network), not any client.
    boolean fromAnyone =
        "any".equals(override.oneOf("from", "allowlist", java.util.List.of("allowlist", "any")));
    override.rejectUnknownKeys();
    node.rejectUnknownKeys();
    return new SplitConfig(
        Collections.unmodifiableMap(weights),
        sticky,
        cookie,
        header,
        overrideEnabled,
        overrideHeader,
        fromAnyone);
  }

  private static String token(Node node, String key, String fallback) {
    String v = node.string(key, fallback);
    if (!v.matches("[A-Za-z0-9_-]+")) {
      node.problems().add(node.pathOf(key), v, "expected a name of letters, digits, _ and -");
      return fallback;
    }
    return v;
  }
}
