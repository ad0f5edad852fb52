package io.supercharger.canary;

import io.supercharger.canary.Verdict.ClassMeasure;
import io.supercharger.canary.Verdict.Result;
import io.supercharger.policy.SloPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges one window of the canary against the SLO policy: p95 and error rate per route class,
 * optionally no slower than the baseline times a factor, plus the pool-level gates (recycle thrash,
 * memory growth) that the caller passes in as reasons. Too little traffic is never a pass.
 */
final class Judge {
  static final String[] CLASSES = {"read", "write"};

  private final SloPolicy policy;
  private final int minRequests;
  private final double baselineFactor;

  Judge(SloPolicy policy, int minRequests, double baselineFactor) {
    this.policy = policy;
    this.minRequests = minRequests;
    this.baselineFactor = baselineFactor;
  }

  /**
   * @param canary the canary pool's window per class (index as {@link #CLASSES})
   * @param baseline the baseline pool's window per class
   * @param poolReasons failures found at the pool level (thrash, memory), already worded
   */
  Verdict judge(
      Instant at,
      SlidingWindows.Snapshot[] canary,
      SlidingWindows.Snapshot[] baseline,
      List<String> poolReasons) {
    List<String> reasons = new ArrayList<>(poolReasons);
    Map<String, ClassMeasure> measures = new LinkedHashMap<>();
    long total = 0;
    for (int c = 0; c < CLASSES.length; c++) {
      String cls = CLASSES[c];
      SlidingWindows.Snapshot w = canary[c];
      SlidingWindows.Snapshot b = baseline[c];
      SloPolicy.Limits gate = policy.forClass(cls);
      total += w.count();
      measures.put(
          cls,
          new ClassMeasure(
              w.count(),
              w.quantileMs(0.95),
              w.errorRatePct(),
              b.quantileMs(0.95),
              "p95 <= " + fmt(gate.p95Ms()) + " ms, errors <= " + fmt(gate.errorRatePct()) + "%"));
      if (w.count() == 0) {
        continue;
      }
      double p95 = w.quantileMs(0.95);
      if (p95 > gate.p95Ms()) {
        reasons.add(cls + " p95 " + fmt(p95) + " ms > " + fmt(gate.p95Ms()) + " ms");
      }
      if (w.errorRatePct() > gate.errorRatePct()) {
        reasons.add(
            cls + " errors " + fmt(w.errorRatePct()) + "% > " + fmt(gate.errorRatePct()) + "%");
      }
      if (baselineFactor > 0 && b.count() > 0 && p95 > b.quantileMs(0.95) * baselineFactor) {
        reasons.add(
            cls
                + " p95 "
                + fmt(p95)
                + " ms > baseline "
                + fmt(b.quantileMs(0.95))
                + " ms x "
                + fmt(baselineFactor));
      }
    }
    if (total < minRequests) {
      List<String> hold = new ArrayList<>();
      hold.add(total + " requests < min_requests " + minRequests);
      hold.addAll(reasons);
      return new Verdict(at, Result.INSUFFICIENT, hold, measures);
    }
    return new Verdict(at, reasons.isEmpty() ? Result.PASS : Result.FAIL, reasons, measures);
  }

  static String fmt(double v) {
    if (Double.isInfinite(v)) {
      return "inf";
    }
    return v == Math.rint(v) ? Long.toString((long) v) : String.format("%.2f", v);
  }
}
