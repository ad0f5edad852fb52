package io.supercharger.bench;

import io.supercharger.telemetry.PrometheusText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The checklist's lifecycle items, read from /status, gateway_recycles_total and a soak report:
 * each pool's configured recycle triggers must each have fired, and worker pools must report kernel
 * and Doctrine resets.
 */
final class LifecycleEvidence {
  private static final Map<String, String> TRIGGERS =
      Map.of("max_request", "request", "max_memory_mb", "memory", "max_uptime_second", "uptime");

  private final JsonObject status;
  private final PrometheusText metrics;
  private final JsonObject report;

  LifecycleEvidence(JsonObject status, PrometheusText metrics, JsonObject report) {
    this.status = status;
    this.metrics = metrics;
    this.report = report;
  }

  Check recycleTriggers() {
    if (status == null) {
      return Check.fail("", "no /status");
    }
    Map<String, Map<String, Double>> fired = firedByPoolAndReason();
    boolean counterExported = metrics != null && metrics.has("gateway_recycles_total");
    if (!counterExported && fired.isEmpty()) {
      return Check.skip(
          "",
          "gateway_recycles_total is not exported and no recycle appears in /status or the soak report "
              + "(the lifecycle issue adds them)");
    }
    JsonObject pools = status.getJsonObject("pools", new JsonObject());
    JsonObject global = status.getJsonObject("lifecycle", new JsonObject());
    List<String> missing = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (String pool : pools.fieldNames()) {
      JsonObject lc = pools.getJsonObject(pool).getJsonObject("lifecycle", global);
      if (!lc.getBoolean("active", lc.getBoolean("enabled", false))) {
        if ("fpm".equals(pools.getJsonObject(pool).getString("engine"))) {
          // FPM renews its own children (pm.max_requests); the gateway's lifecycle is opt-in there.
          seen.add(pool + ": renews its own workers (pm.max_requests)");
        } else {
          missing.add(pool + ": lifecycle not configured");
        }
        continue;
      }
      Map<String, Double> reasons = fired.getOrDefault(pool, Map.of());
      for (var t : TRIGGERS.entrySet()) {
        if (lc.getValue(t.getKey()) instanceof Number n && n.doubleValue() > 0) {
          double count =
              reasons.entrySet().stream()
                  .filter(r -> r.getKey().contains(t.getValue()))
                  .mapToDouble(Map.Entry::getValue)
                  .sum();
          (count > 0 ? seen : missing)
              .add(String.format(Locale.ROOT, "%s %s=%s fired %.0f×", pool, t.getKey(), n, count));
        }
      }
    }
    String evidence =
        (seen.isEmpty() ? "" : "fired: " + String.join(", ", seen))
            + (missing.isEmpty()
                ? ""
                : (seen.isEmpty() ? "" : "; ") + "not validated: " + String.join(", ", missing));
    return missing.isEmpty() && !seen.isEmpty()
        ? Check.pass("", evidence)
        : Check.fail("", evidence);
  }

  /**
   * Recycles per pool and reason: the counter where exported, plus the soak report's markers and
   * /status counts.
   */
  private Map<String, Map<String, Double>> firedByPoolAndReason() {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    if (metrics != null) {
      for (PrometheusText.Sample s : metrics.samples("gateway_recycles_total")) {
        out.computeIfAbsent(s.labels().getOrDefault("pool", "?"), p -> new LinkedHashMap<>())
            .merge(s.labels().getOrDefault("reason", "?"), s.value(), Double::sum);
      }
    }
    JsonObject pools = status.getJsonObject("pools", new JsonObject());
    for (String pool : pools.fieldNames()) {
      for (Object i : pools.getJsonObject(pool).getJsonArray("instances", new JsonArray())) {
        if (((JsonObject) i).getValue("recycles") instanceof JsonObject r) {
          r.forEach(
              e ->
                  out.computeIfAbsent(pool, p -> new LinkedHashMap<>())
                      .merge(e.getKey(), ((Number) e.getValue()).doubleValue(), Math::max));
        }
      }
    }
    if (report != null && report.getValue("soak") instanceof JsonObject soak) {
      for (Object m : soak.getJsonArray("recycles", new JsonArray())) {
        JsonObject marker = (JsonObject) m;
        out.computeIfAbsent(marker.getString("pool"), p -> new LinkedHashMap<>())
            .merge(marker.getString("reason"), 1.0, Double::sum);
      }
    }
    out.values().removeIf(Map::isEmpty);
    return out;
  }

  Check resetTriggers() {
    if (status == null) {
      return Check.fail("", "no /status");
    }
    JsonObject pools = status.getJsonObject("pools", new JsonObject());
    List<String> parts = new ArrayList<>();
    boolean anyReported = false;
    boolean allFired = true;
    for (String pool : pools.fieldNames()) {
      JsonObject p = pools.getJsonObject(pool);
      if ("fpm".equals(p.getString("engine"))) {
        continue;
      }
      long kernel = 0;
      long doctrine = 0;
      boolean reported = false;
      for (Object i : p.getJsonArray("instances", new JsonArray())) {
        if (((JsonObject) i).getValue("resets") instanceof JsonObject r) {
          reported = true;
          kernel += r.getLong("kernel", 0L);
          doctrine += r.getLong("doctrine", 0L);
        }
      }
      if (!reported) {
        parts.add(pool + ": no reset counters");
        allFired = false;
        continue;
      }
      anyReported = true;
      allFired &= kernel > 0 && doctrine > 0;
      parts.add(String.format(Locale.ROOT, "%s: kernel %d, doctrine %d", pool, kernel, doctrine));
    }
    if (parts.isEmpty()) {
      return Check.skip("", "no worker-mode pool (only FPM, which needs no resets)");
    }
    if (!anyReported) {
      return Check.skip(
          "",
          "the engines report no reset counters (resets: null in /status); "
              + String.join("; ", parts)
              + " (the lifecycle and Symfony app issues add them)");
    }
    return allFired
        ? Check.pass("", String.join("; ", parts))
        : Check.fail("", String.join("; ", parts) + " (each must be > 0)");
  }
}
