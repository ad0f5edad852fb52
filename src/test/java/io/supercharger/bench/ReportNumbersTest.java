package io.supercharger.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.policy.SloPolicy;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The report's numbers against a latency distribution known in advance: 1..1000 ms once each (so
 * the pN is N × 10 ms) on a read route, and a write route with a fixed 5 ms and known errors.
 * Guards the unit conversions (µs in the histogram, ms in the report), the class merge, and the
 * error rate's rule (5xx and transport failures count; 4xx do not).
 */
class ReportNumbersTest {
  private static final long MS = 1_000_000;

  private static LatencyBook book() {
    Map<String, String> routes = new LinkedHashMap<>();
    routes.put("uniform", "read");
    routes.put("fixed", "write");
    LatencyBook book = new LatencyBook(routes);
    for (int ms = 1; ms <= 1000; ms++) {
      book.record("uniform", ms * MS, Outcome.OK);
    }
    for (int i = 0; i < 100; i++) {
      book.record("fixed", 5 * MS, Outcome.OK);
    }
    for (int i = 0; i < 5; i++) {
      book.record("fixed", 5 * MS, Outcome.HTTP_5XX);
    }
    for (int i = 0; i < 10; i++) {
      book.record("fixed", 5 * MS, Outcome.HTTP_4XX);
    }
    book.tick(1.0, 1.0);
    book.tick(2.0, 1.0); // an empty second
    return book;
  }

  @Test
  void percentilesCountsAndThroughputMatchTheSyntheticDistribution() {
    LatencyBook book = book();
    Summary u = book.routeSummaries(2.0).get("uniform");
    assertEquals(1000, u.count());
    assertEquals(500.0, u.throughput(), 1e-9);
    // HdrHistogram keeps 3 significant digits: within 0.1 %.
    assertEquals(500, u.p50Ms(), 0.5);
    assertEquals(900, u.p90Ms(), 1);
    assertEquals(950, u.p95Ms(), 1);
    assertEquals(990, u.p99Ms(), 1);
    assertEquals(1000, u.maxMs(), 1);
    assertEquals(500.5, u.meanMs(), 0.5);
    assertEquals(0, u.errorRatePct());

    Summary f = book.routeSummaries(2.0).get("fixed");
    assertEquals(115, f.count());
    assertEquals(5, f.p99Ms(), 0.01);
    assertEquals(5L, f.errors().get("5xx"));
    assertEquals(10L, f.errors().get("4xx"));
    assertEquals(100.0 * 5 / 115, f.errorRatePct(), 1e-9, "4xx are not SLO errors");

    assertEquals(
        u, book.classSummaries(2.0).get("read"), "one read route: the class is that route");
    assertEquals(f, book.classSummaries(2.0).get("write"));
    Summary all = book.overall(2.0);
    assertEquals(1115, all.count());
    assertEquals(100.0 * 5 / 1115, all.errorRatePct(), 1e-9);
  }

  @Test
  void timelineHasARowPerTickAndGapsWhereNothingFinished() {
    LatencyBook book = book();
    assertEquals(2, book.timeline().get("route:uniform").size());
    assertEquals(1000, book.timeline().get("route:uniform").get(0).summary().count());
    assertEquals(990, book.timeline().get("class:read").get(0).summary().p99Ms(), 1);
    assertEquals(0, book.timeline().get(LatencyBook.OVERALL).get(1).summary().count());

    JsonObject report = report(book);
    JsonObject uniform =
        report.getJsonObject("timeline").getJsonObject("series").getJsonObject("route:uniform");
    assertEquals(950, uniform.getJsonArray("p95_ms").getDouble(0), 1);
    assertNull(uniform.getJsonArray("p95_ms").getValue(1), "an empty second is a gap, not 0 ms");
    assertEquals(1115, report.getJsonObject("overall").getLong("count"));
    assertEquals(
        5,
        report
            .getJsonObject("routes")
            .getJsonObject("fixed")
            .getJsonObject("errors")
            .getLong("5xx"));
    assertEquals("write", report.getJsonObject("routes").getJsonObject("fixed").getString("class"));
  }

  @Test
  void htmlInlinesTheChartLibraryAndTheDataAndNeedsNoNetwork() throws Exception {
    JsonObject report = report(book());
    report.put("name", "x</script><b>");
    String html = ReportStore.html(report);
    assertTrue(
        html.contains("https://github.com/leeoniya/uPlot"), "uPlot's license header is kept");
    assertTrue(html.contains("var uPlot="));
    assertFalse(html.contains("src=\"http"), "no external script");
    assertFalse(html.contains("href=\"http"), "no external stylesheet");
    assertFalse(html.contains("x</script>"), "report data cannot close its <script> element");
    assertTrue(html.contains("\"p95_ms\""));
  }

  private static JsonObject report(LatencyBook book) {
    Scenario s =
        ScenarioLoader.parse(
            """
        requests:
          - {method: GET, path: /u, route: uniform}
          - {method: POST, path: /f, route: fixed}
        """,
            "synthetic",
            null);
    LoadGenerator.Result run =
        new LoadGenerator.Result(1115, 1115, 2.0, new Histogram(3), Map.of());
    SloPolicy policy =
        SloPolicy.parse(
            "classes: {read: {p95_ms: 250, error_rate_pct: 0.5}, write: {p95_ms: 700, error_rate_pct: 0.5}}",
            "test");
    Verdict v =
        Verdict.evaluate(
            policy, book.classSummaries(2.0), book.routeSummaries(2.0), s.routeClasses(), null);
    return BenchReport.build(
        s,
        new BenchReport.Setup("http://x", "open-loop", 100, 64, 2, 1000, "test", "s.yaml"),
        Instant.EPOCH,
        Instant.EPOCH.plusSeconds(2),
        run,
        book,
        null,
        v);
  }
}
