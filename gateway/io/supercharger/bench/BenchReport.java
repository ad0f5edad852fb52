package io.supercharger.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * report.json: everything a person or a later gate needs, numbers in milliseconds and seconds. The
 * timeline is columnar (one array per measure, aligned with {@code timeline.t}) so charts read it
 * as is.
 */
public final class BenchReport {
  public static final String SCHEMA = "supercharger.bench/1";

  private BenchReport() {}

  /** What the run was: the command's options, as the report states them. */
  public record Setup(
      String target,
      String mode,
      double rate,
      int connections,
      double durationSeconds,
      long timeoutMs,
      String policySource,
      String scenarioSource) {}

  public static JsonObject build(
      Scenario scenario,
      Setup setup,
      Instant startedAt,
      Instant finishedAt,
      LoadGenerator.Result run,
      LatencyBook book,
      SoakAnalysis soak,
      Verdict verdict) {
    double seconds = run.seconds();
    JsonObject routes = new JsonObject();
    book.routeSummaries(seconds)
        .forEach(
            (route, s) -> {
              Scenario.Request first =
                  scenario.requests().stream()
                      .filter(r -> r.route().equals(route))
                      .findFirst()
                      .orElseThrow();
              routes.put(
                  route,
                  summary(s)
                      .put("class", first.requestClass())
                      .put("method", first.method())
                      .put("path", first.path()));
            });
    JsonObject classes = new JsonObject();
    book.classSummaries(seconds).forEach((cls, s) -> classes.put(cls, summary(s)));
    JsonObject out =
        new JsonObject()
            .put("schema", SCHEMA)
            .put("name", scenario.name())
            .put("started_at", startedAt.toString())
            .put("generated_at", finishedAt.toString())
            .put(
                "setup",
                new JsonObject()
                    .put("target", setup.target())
                    .put("mode", setup.mode())
                    .put("rate", setup.rate())
                    .put("connections", setup.connections())
                    .put("duration_seconds", setup.durationSeconds())
                    .put("timeout_ms", setup.timeoutMs())
                    .put("policy", setup.policySource())
                    .put("scenario_file", setup.scenarioSource()))
            .put(
                "scenario",
                new JsonObject()
                    .put("name", scenario.name())
                    .put(
                        "requests",
                        new JsonArray(
                            scenario.requests().stream()
                                .map(
                                    r ->
                                        new JsonObject()
                                            .put("weight", r.weight())
                                            .put("method", r.method())
                                            .put("path", r.path())
                                            .put("route", r.route())
                                            .put("class", r.requestClass())
                                            .put("body_bytes", r.body().length))
                                .toList())))
            .put(
                "generator",
                new JsonObject()
                    .put("scheduled", run.scheduled())
                    .put("recorded", run.recorded())
                    .put("seconds", seconds)
                    .put(
                        "dispatch_lag_p99_ms",
                        run.dispatchLagMicros().getTotalCount() == 0
                            ? 0
                            : run.dispatchLagMicros().getValueAtPercentile(99) / 1000.0)
                    .put("dispatch_lag_max_ms", run.dispatchLagMicros().getMaxValue() / 1000.0)
                    .put(
                        "error_examples",
                        new JsonObject(new java.util.LinkedHashMap<>(run.errorExamples()))))
            .put("overall", summary(book.overall(seconds)))
            .put("classes", classes)
            .put("routes", routes)
            .put("timeline", timeline(book))
            .put("soak", soak == null ? null : soak(soak))
            .put("verdict", verdict(verdict));
    return out;
  }

  static JsonObject summary(Summary s) {
    return new JsonObject()
        .put("count", s.count())
        .put("throughput_rps", round(s.throughput()))
        .put("p50_ms", s.p50Ms())
        .put("p90_ms", s.p90Ms())
        .put("p95_ms", s.p95Ms())
        .put("p99_ms", s.p99Ms())
        .put("max_ms", s.maxMs())
        .put("mean_ms", round(s.meanMs()))
        .put("errors", new JsonObject(new java.util.LinkedHashMap<>(s.errors())))
        .put("error_rate_pct", round(s.errorRatePct()));
  }

  private static JsonObject timeline(LatencyBook book) {
    JsonObject series = new JsonObject();
    for (Map.Entry<String, List<LatencyBook.Interval>> e : book.timeline().entrySet()) {
      JsonArray count = new JsonArray();
      JsonArray p50 = new JsonArray();
      JsonArray p95 = new JsonArray();
      JsonArray p99 = new JsonArray();
      JsonArray max = new JsonArray();
      JsonArray errors = new JsonArray();
      JsonArray rps = new JsonArray();
      for (LatencyBook.Interval i : e.getValue()) {
        Summary s = i.summary();
        count.add(s.count());
        rps.add(round(s.throughput()));
        // No requests finished in that second: a gap in the chart, not a zero latency.
        p50.add(s.count() == 0 ? null : s.p50Ms());
        p95.add(s.count() == 0 ? null : s.p95Ms());
        p99.add(s.count() == 0 ? null : s.p99Ms());
        max.add(s.count() == 0 ? null : s.maxMs());
        errors.add(new JsonObject(new java.util.LinkedHashMap<>(s.errors())));
      }
      series.put(
          e.getKey(),
          new JsonObject()
              .put("count", count)
              .put("rps", rps)
              .put("p50_ms", p50)
              .put("p95_ms", p95)
              .put("p99_ms", p99)
              .put("max_ms", max)
              .put("errors", errors));
    }
    return new JsonObject()
        .put("t", new JsonArray(book.ticks().stream().map(BenchReport::round).toList()))
        .put("series", series);
  }

  private static JsonObject soak(SoakAnalysis soak) {
    JsonArray samples = new JsonArray();
    for (StatusSample s : soak.samples()) {
      JsonObject pools = new JsonObject();
      s.pools()
          .forEach(
              (pool, instances) ->
                  pools.put(
                      pool,
                      new JsonArray(
                          instances.stream()
                              .map(
                                  i ->
                                      new JsonObject()
                                          .put("address", i.address())
                                          .put("state", i.state())
                                          .put("memory_bytes", i.memoryBytes())
                                          .put("requests_total", i.requestsTotal())
                                          .put("ready_since", i.readySince())
                                          .put(
                                              "recycles",
                                              new JsonObject(
                                                  new java.util.LinkedHashMap<>(i.recycles()))))
                              .toList())));
      samples.add(
          new JsonObject().put("t", round(s.t())).put("error", s.error()).put("pools", pools));
    }
    JsonObject pools = new JsonObject();
    soak.pools()
        .forEach(
            (name, p) ->
                pools.put(
                    name,
                    new JsonObject()
                        .put("memory_points", p.memoryPoints())
                        .put("slope_bytes_per_minute", p.slopeBytesPerMinute())
                        .put("growth_over_run_pct", p.growthOverRunPct())
                        .put("growth_per_window_pct", p.growthPerWindowPct())
                        .put("minutes", round(p.minutes()))
                        .put("recycles", p.recycles())
                        .put("max_recycles_in_a_minute", p.maxRecyclesInAMinute())));
    return new JsonObject()
        .put("samples", samples)
        .put("pools", pools)
        .put(
            "recycles",
            new JsonArray(
                soak.markers().stream()
                    .map(
                        m ->
                            new JsonObject()
                                .put("t", round(m.t()))
                                .put("pool", m.pool())
                                .put("instance", m.instance())
                                .put("reason", m.reason()))
                    .toList()));
  }

  private static JsonObject verdict(Verdict v) {
    return new JsonObject()
        .put("result", v.result().name())
        .put(
            "gates",
            new JsonArray(
                v.gates().stream()
                    .map(
                        g ->
                            new JsonObject()
                                .put("name", g.name())
                                .put("result", g.result().name())
                                .put("measured", g.measured() == null ? null : round(g.measured()))
                                .put("limit", g.limit())
                                .put("unit", g.unit())
                                .put("evidence", g.evidence()))
                    .toList()));
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
