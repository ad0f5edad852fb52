package io.supercharger.bench;

import io.supercharger.policy.SloPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bench's verdict against the SLO policy: p95 and error rate per class (and per route where the
 * policy overrides one), and with a soak, memory growth and recycle thrash per pool. FAIL if any
 * gate fails; a gate without data is SKIP and does not fail the run, but the report shows it.
 */
public record Verdict(Check.Result result, List<Check> gates) {

  public static Verdict evaluate(
      SloPolicy policy,
      Map<String, Summary> classes,
      Map<String, Summary> routes,
      Map<String, String> routeClasses,
      SoakAnalysis soak) {
    List<Check> gates = new ArrayList<>();
    for (var e : policy.classes().entrySet()) {
      String cls = e.getKey();
      Summary s = classes.get(cls);
      if (s == null || s.count() == 0) {
        gates.add(Check.skip(cls + " p95", "no " + cls + " requests in this run"));
        continue;
      }
      addLatencyGates(gates, cls, s, e.getValue());
    }
    for (var e : policy.routes().entrySet()) {
      Summary s = routes.get(e.getKey());
      if (s != null && s.count() > 0) {
        addLatencyGates(
            gates,
            "route " + e.getKey(),
            s,
            policy.forRoute(e.getKey(), routeClasses.get(e.getKey())));
      }
    }
    if (soak != null) {
      gates.addAll(soak.gates(policy));
    }
    boolean failed = gates.stream().anyMatch(g -> g.result() == Check.Result.FAIL);
    boolean passed = gates.stream().anyMatch(g -> g.result() == Check.Result.PASS);
    return new Verdict(failed || !passed ? Check.Result.FAIL : Check.Result.PASS, gates);
  }

  private static void addLatencyGates(
      List<Check> gates, String scope, Summary s, SloPolicy.Limits limits) {
    String n = String.format(Locale.ROOT, "%,d requests", s.count());
    gates.add(
        Check.atMost(
            scope + " p95",
            s.p95Ms(),
            limits.p95Ms(),
            "ms",
            String.format(
                Locale.ROOT, "p95 %.1f ms over %s (p99 %.1f ms)", s.p95Ms(), n, s.p99Ms())));
    long errors = Math.round(s.errorRatePct() * s.count() / 100);
    gates.add(
        Check.atMost(
            scope + " error rate",
            s.errorRatePct(),
            limits.errorRatePct(),
            "%",
            String.format(
                Locale.ROOT,
                "%d errors (5xx and transport) in %s; %d 4xx apart",
                errors,
                n,
                s.errors().get("4xx"))));
  }
}
