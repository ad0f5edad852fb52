package io.supercharger.canary;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One window's judgement of the canary, with the numbers and the reasons behind it. */
public record Verdict(
    Instant at, Result result, List<String> reasons, Map<String, ClassMeasure> measures) {

  public enum Result {
    PASS,
    FAIL,
    INSUFFICIENT;

    public String label() {
      return name().toLowerCase();
    }
  }

  /** A route class's window for the canary pool (and the baseline, for comparison). */
  public record ClassMeasure(
      long requests, double p95Ms, double errorRatePct, double baselineP95Ms, String gate) {}

  public JsonObject toJson() {
    JsonObject measuresJson = new JsonObject();
    measures.forEach(
        (cls, m) ->
            measuresJson.put(
                cls,
                new JsonObject()
                    .put("requests", m.requests())
                    .put("p95_ms", finite(m.p95Ms()))
                    .put("error_rate_pct", m.errorRatePct())
                    .put("baseline_p95_ms", finite(m.baselineP95Ms()))
                    .put("gate", m.gate())));
    return new JsonObject()
        .put("at", at.toString())
        .put("result", result.label())
        .put("reasons", new JsonArray(List.copyOf(reasons)))
        .put("classes", measuresJson);
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
