package io.supercharger.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.supercharger.policy.SloPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The verdict against policies/slo.yaml: latency and error gates per class and route, and the soak
 * gates.
 */
class VerdictTest {
  private static final SloPolicy POLICY =
      SloPolicy.parse(
          """
      classes:
        read:  {p95_ms: 250, error_rate_pct: 0.5}
        write: {p95_ms: 700, error_rate_pct: 0.5}
      routes: {orders: {p95_ms: 500}}
      recycle: {max_per_minute: 6}
      memory: {max_growth_pct: 10, window_minutes: 30}
      """,
          "test");

  private static Summary summary(long count, double p95, double errorPct) {
    return new Summary(
        count, count, p95 / 2, p95, p95, p95, p95, p95 / 2, Map.of("4xx", 0L), errorPct);
  }

  static Stream<Arguments> latencyCases() {
    return Stream.of(
        Arguments.of("read under its p95", "read", 249.0, 0.0, Check.Result.PASS),
        Arguments.of("read exactly at the edge passes", "read", 250.0, 0.5, Check.Result.PASS),
        Arguments.of("read over its p95", "read", 251.0, 0.0, Check.Result.FAIL),
        Arguments.of("read over its error rate", "read", 10.0, 0.6, Check.Result.FAIL),
        Arguments.of("write gets 700 ms", "write", 650.0, 0.0, Check.Result.PASS),
        Arguments.of("write over 700 ms", "write", 701.0, 0.0, Check.Result.FAIL));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("latencyCases")
  void classGates(String scenario, String cls, double p95, double errorPct, Check.Result expected) {
    Verdict v =
        Verdict.evaluate(
            POLICY, Map.of(cls, summary(1000, p95, errorPct)), Map.of(), Map.of(), null);
    assertEquals(expected, v.result(), v.gates().toString());
    String other = cls.equals("read") ? "write" : "read";
    assertEquals(
        Check.Result.SKIP,
        gate(v, other + " p95").result(),
        "a class with no requests is SKIP, not PASS");
  }

  @Test
  void aRouteOverrideTightensItsClassAndKeepsTheClassErrorRate() {
    // orders is a write route: 600 ms passes the class (700) but fails its own 500 ms.
    Verdict v =
        Verdict.evaluate(
            POLICY,
            Map.of("write", summary(100, 600, 0)),
            Map.of("orders", summary(100, 600, 0.4)),
            Map.of("orders", "write"),
            null);
    assertEquals(Check.Result.PASS, gate(v, "write p95").result());
    assertEquals(Check.Result.FAIL, gate(v, "route orders p95").result());
    assertEquals(500.0, gate(v, "route orders p95").limit());
    assertEquals(
        0.5, gate(v, "route orders error rate").limit(), "error rate falls back to the class");
    assertEquals(Check.Result.FAIL, v.result());
  }

  @Test
  void noDataAtAllIsNotAPass() {
    assertEquals(
        Check.Result.FAIL, Verdict.evaluate(POLICY, Map.of(), Map.of(), Map.of(), null).result());
  }

  static Stream<Arguments> memoryCases() {
    return Stream.of(
        // 10 min soak, 100 → 120 MiB: +20 % over the run.
        Arguments.of("steady growth beyond 10 %", 100.0, 120.0, 10, Check.Result.FAIL),
        Arguments.of("flat memory", 100.0, 100.0, 10, Check.Result.PASS),
        Arguments.of("growth within 10 %", 100.0, 105.0, 10, Check.Result.PASS),
        // 60 min soak growing 100 → 110: the slope over a 30 min window is +5 %.
        Arguments.of("long soak judged over the window", 100.0, 110.0, 60, Check.Result.PASS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("memoryCases")
  void memoryTrendIsALeastSquaresSlope(
      String scenario, double fromMiB, double toMiB, int minutes, Check.Result expected) {
    List<StatusSample> samples = new ArrayList<>();
    for (int i = 0; i <= minutes; i++) {
      // A sawtooth of ±2 MiB around the line: noise that a first-vs-last comparison would trip on.
      double mib = fromMiB + (toMiB - fromMiB) * i / minutes + (i % 2 == 0 ? 2 : -2);
      samples.add(sample(i * 60.0, (long) (mib * 1048576), Map.of()));
    }
    SoakAnalysis soak = SoakAnalysis.of(samples, 30);
    Check g =
        gate(
            Verdict.evaluate(POLICY, Map.of(), Map.of(), Map.of(), soak),
            "pool worker memory growth");
    assertEquals(expected, g.result(), g.toString());
  }

  @Test
  void memoryWithoutDataIsSkip() {
    SoakAnalysis soak =
        SoakAnalysis.of(List.of(sample(0, null, Map.of()), sample(5, null, Map.of())), 30);
    assertEquals(
        Check.Result.SKIP,
        gate(
                Verdict.evaluate(POLICY, Map.of(), Map.of(), Map.of(), soak),
                "pool worker memory growth")
            .result());
  }

  @Test
  void recycleThrashCountsTheWorstMinuteAndMarksEachRecycle() {
    List<StatusSample> samples = new ArrayList<>();
    // 7 recycles between t=100 s and t=130 s, then 2 more at t=300 s.
    long[] cumulative = {0, 0, 3, 7, 7, 9};
    double[] t = {0, 90, 100, 130, 200, 300};
    for (int i = 0; i < t.length; i++) {
      samples.add(sample(t[i], 100L << 20, Map.of("max_request", cumulative[i])));
    }
    SoakAnalysis soak = SoakAnalysis.of(samples, 30);
    assertEquals(9, soak.markers().size());
    assertEquals("max_request", soak.markers().get(0).reason());
    assertEquals(7, soak.pools().get("worker").maxRecyclesInAMinute());
    Check g =
        gate(
            Verdict.evaluate(POLICY, Map.of(), Map.of(), Map.of(), soak),
            "pool worker recycle thrash");
    assertEquals(Check.Result.FAIL, g.result(), "7 in a minute is over 6");
  }

  @Test
  void aNewReadySinceWithoutACounterIsARestartMarker() {
    SoakAnalysis soak =
        SoakAnalysis.of(
            List.of(
                new StatusSample(
                    0,
                    Map.of("worker", List.of(instance(null, Map.of(), "2026-01-01T00:00:00Z"))),
                    null),
                new StatusSample(
                    5,
                    Map.of("worker", List.of(instance(null, Map.of(), "2026-01-01T00:00:04Z"))),
                    null)),
            30);
    assertEquals(
        List.of(new SoakAnalysis.Marker(5, "worker", "127.0.0.1:1", "restart")), soak.markers());
  }

  private static StatusSample sample(double t, Long memory, Map<String, Long> recycles) {
    return new StatusSample(
        t, Map.of("worker", List.of(instance(memory, recycles, "2026-01-01T00:00:00Z"))), null);
  }

  private static StatusSample.Instance instance(
      Long memory, Map<String, Long> recycles, String readySince) {
    return new StatusSample.Instance("127.0.0.1:1", "READY", memory, 0L, readySince, recycles);
  }

  private static Check gate(Verdict v, String name) {
    return v.gates().stream()
        .filter(g -> g.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no gate " + name + " in " + v.gates()));
  }
}
