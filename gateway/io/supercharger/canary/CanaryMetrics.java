package io.supercharger.canary;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.supercharger.canary.Verdict.ClassMeasure;
import java.util.function.Supplier;

/**
 * The canary's meters: its weight, the last verdict per gate (one series per result, 1 for the
 * current one, like kube-state-metrics' phase gauges), and the window's p95 and error ratio.
 */
final class CanaryMetrics {
  private static final String[] RESULTS = {"pass", "fail", "insufficient"};

  static void bind(MeterRegistry registry, CanaryController controller, Supplier<Verdict> last) {
    String canary = controller.canaryPool().name();
    String baseline = controller.baselinePool().name();
    Gauge.builder("gateway.canary.weight", () -> controller.state().weight())
        .tags("pool", canary)
        .description("Percent of traffic on the canary pool")
        .register(registry);
    Gauge.builder("gateway.canary.weight", () -> 100 - controller.state().weight())
        .tags("pool", baseline)
        .description("Percent of traffic on the canary pool")
        .register(registry);
    for (String cls : Judge.CLASSES) {
      for (String result : RESULTS) {
        Gauge.builder("gateway.slo.gate", () -> result.equals(classResult(last.get(), cls)) ? 1 : 0)
            .tags("pool", canary, "class", cls, "result", result)
            .description("The last canary verdict per SLO gate")
            .register(registry);
      }
      Gauge.builder("gateway.canary.window.p95", () -> measure(last.get(), cls, true))
          .baseUnit("seconds")
          .tags("pool", canary, "class", cls)
          .description("p95 of the last canary window")
          .register(registry);
      Gauge.builder("gateway.canary.window.error.ratio", () -> measure(last.get(), cls, false))
          .tags("pool", canary, "class", cls)
          .description("Error ratio of the last canary window")
          .register(registry);
    }
  }

  /** A class's own result: insufficient traffic overall, a reason naming the class, or a pass. */
  static String classResult(Verdict verdict, String cls) {
    if (verdict == null || verdict.result() == Verdict.Result.INSUFFICIENT) {
      return "insufficient";
    }
    for (String reason : verdict.reasons()) {
      if (reason.startsWith(cls + " ")) {
        return "fail";
      }
    }
    return "pass";
  }

  private static double measure(Verdict verdict, String cls, boolean p95) {
    if (verdict == null) {
      return Double.NaN;
    }
    ClassMeasure m = verdict.measures().get(cls);
    if (m == null || m.requests() == 0) {
      return Double.NaN;
    }
    return p95 ? m.p95Ms() / 1000.0 : m.errorRatePct() / 100.0;
  }
}
