package io.supercharger.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Count, throughput, latency percentiles (milliseconds) and errors by kind over a span.
 *
 * @param errors counts per error kind ({@link Outcome#label()}), every kind present
 * @param errorRatePct the SLO error rate: 5xx and transport failures over all requests (4xx
 *     excluded)
 */
public record Summary(
    long count,
    double throughput,
    double p50Ms,
    double p90Ms,
    double p95Ms,
    double p99Ms,
    double maxMs,
    double meanMs,
    Map<String, Long> errors,
    double errorRatePct) {

  static Summary of(Histogram latencies, long[] outcomes, double seconds) {
    long count = latencies.getTotalCount();
    Map<String, Long> errors = new LinkedHashMap<>();
    long sloErrors = 0;
    for (Outcome o : Outcome.ERRORS) {
      errors.put(o.label(), outcomes[o.ordinal()]);
      if (o.sloError()) {
        sloErrors += outcomes[o.ordinal()];
      }
    }
    return new Summary(
        count,
        seconds > 0 ? count / seconds : 0,
        ms(latencies, 50),
        ms(latencies, 90),
        ms(latencies, 95),
        ms(latencies, 99),
        count == 0 ? 0 : latencies.getMaxValue() / 1000.0,
        count == 0 ? 0 : latencies.getMean() / 1000.0,
        errors,
        count == 0 ? 0 : 100.0 * sloErrors / count);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }
}
