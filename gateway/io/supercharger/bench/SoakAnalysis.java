package io.supercharger.bench;

import io.supercharger.policy.SloPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the /status samples say per pool: the memory trend (least-squares slope of the mean instance
 * memory, and the growth it implies) and recycles over time (markers, and the most in any minute).
 */
public record SoakAnalysis(
    List<StatusSample> samples, Map<String, PoolTrend> pools, List<Marker> markers) {

  /**
   * A recycle seen between two samples: a recycles counter went up, or the instance came back READY
   * anew.
   */
  public record Marker(double t, String pool, String instance, String reason) {}

  /**
   * @param slopeBytesPerMinute null without memory data
   * @param growthOverRunPct fitted growth from the first to the last sample, relative to the fitted
   *     start
   * @param growthPerWindowPct the same slope over the policy's window
   */
  public record PoolTrend(
      String pool,
      int memoryPoints,
      Double slopeBytesPerMinute,
      Double growthOverRunPct,
      Double growthPerWindowPct,
      double minutes,
      long recycles,
      int maxRecyclesInAMinute) {}

  public static SoakAnalysis of(List<StatusSample> samples, double windowMinutes) {
    List<StatusSample> ok = samples.stream().filter(s -> s.error() == null).toList();
    List<Marker> markers = markers(ok);
    Map<String, PoolTrend> pools = new LinkedHashMap<>();
    ok.stream()
        .flatMap(s -> s.pools().keySet().stream())
        .distinct()
        .forEach(
            pool -> {
              List<double[]> points = new ArrayList<>();
              for (StatusSample s : ok) {
                List<Long> mem =
                    s.pools().getOrDefault(pool, List.of()).stream()
                        .map(StatusSample.Instance::memoryBytes)
                        .filter(Objects::nonNull)
                        .toList();
                if (!mem.isEmpty()) {
                  points.add(
                      new double[] {
                        s.t() / 60.0, mem.stream().mapToLong(Long::longValue).average().orElse(0)
                      });
                }
              }
              double minutes =
                  ok.isEmpty() ? 0 : (ok.get(ok.size() - 1).t() - ok.get(0).t()) / 60.0;
              List<Double> times =
                  markers.stream().filter(m -> m.pool().equals(pool)).map(Marker::t).toList();
              pools.put(pool, trend(pool, points, minutes, windowMinutes, times));
            });
    return new SoakAnalysis(samples, pools, markers);
  }

  private static PoolTrend trend(
      String pool, List<double[]> pts, double minutes, double window, List<Double> recycleTimes) {
    Double slope = null;
    Double overRun = null;
    Double perWindow = null;
    if (pts.size() >= 2) {
      double mx = pts.stream().mapToDouble(p -> p[0]).average().orElse(0);
      double my = pts.stream().mapToDouble(p -> p[1]).average().orElse(0);
      double sxy = 0;
      double sxx = 0;
      for (double[] p : pts) {
        sxy += (p[0] - mx) * (p[1] - my);
        sxx += (p[0] - mx) * (p[0] - mx);
      }
      double b = sxx == 0 ? 0 : sxy / sxx;
      double x0 = pts.get(0)[0];
      double x1 = pts.get(pts.size() - 1)[0];
      double fittedStart = my + b * (x0 - mx);
      slope = b;
      if (fittedStart > 0) {
        overRun = 100 * b * (x1 - x0) / fittedStart;
        perWindow = 100 * b * window / fittedStart;
      }
    }
    return new PoolTrend(
        pool,
        pts.size(),
        slope,
        overRun,
        perWindow,
        minutes,
        recycleTimes.size(),
        maxInAMinute(recycleTimes));
  }

  /** The most events that fall within any 60 s span. */
  static int maxInAMinute(List<Double> sortedTimes) {
    int best = 0;
    int from = 0;
    for (int to = 0; to < sortedTimes.size(); to++) {
      while (sortedTimes.get(to) - sortedTimes.get(from) >= 60) {
        from++;
      }
      best = Math.max(best, to - from + 1);
    }
    return best;
  }

  private static List<Marker> markers(List<StatusSample> ok) {
    List<Marker> out = new ArrayList<>();
    Map<String, StatusSample.Instance> last = new HashMap<>();
    for (StatusSample s : ok) {
      s.pools()
          .forEach(
              (pool, instances) ->
                  instances.forEach(
                      i -> {
                        StatusSample.Instance before = last.put(pool + "/" + i.address(), i);
                        if (before == null) {
                          return;
                        }
                        boolean counted = false;
                        for (var e : i.recycles().entrySet()) {
                          long delta =
                              e.getValue() - before.recycles().getOrDefault(e.getKey(), 0L);
                          for (long k = 0; k < delta; k++) {
                            out.add(new Marker(s.t(), pool, i.address(), e.getKey()));
                            counted = true;
                          }
                        }
                        if (!counted
                            && before.readySince() != null
                            && i.readySince() != null
                            && !before.readySince().equals(i.readySince())) {
                          out.add(new Marker(s.t(), pool, i.address(), "restart"));
                        }
                      }));
    }
    return out;
  }

  /** The soak gates: per pool, memory growth and recycle thrash. */
  List<Check> gates(SloPolicy policy) {
    List<Check> gates = new ArrayList<>();
    if (samples.stream().allMatch(s -> s.error() != null)) {
      gates.add(
          Check.fail(
              "soak sampling",
              "no /status sample succeeded: "
                  + (samples.isEmpty() ? "none taken" : samples.get(0).error())));
      return gates;
    }
    for (PoolTrend p : pools.values()) {
      if (p.growthOverRunPct() == null) {
        gates.add(
            Check.skip(
                "pool " + p.pool() + " memory growth",
                "no instance reports memory_bytes (null in /status until the engine reports it)"));
      } else {
        boolean full = p.minutes() >= policy.memoryWindowMinutes();
        double growth = full ? p.growthPerWindowPct() : p.growthOverRunPct();
        gates.add(
            Check.atMost(
                "pool " + p.pool() + " memory growth",
                growth,
                policy.memoryMaxGrowthPct(),
                "%",
                String.format(
                    Locale.ROOT,
                    "%s %+.1f%% (slope %+.0f KiB/min over %d samples); %s",
                    full
                        ? "over a " + policy.memoryWindowMinutes() + " min window"
                        : "over the run",
                    growth,
                    p.slopeBytesPerMinute() / 1024,
                    p.memoryPoints(),
                    full
                        ? String.format(Locale.ROOT, "%.1f min soak", p.minutes())
                        : String.format(
                            Locale.ROOT,
                            "soak ran %.1f of %d min; the slope projects %+.1f%% over the window",
                            p.minutes(),
                            policy.memoryWindowMinutes(),
                            p.growthPerWindowPct()))));
      }
      gates.add(
          Check.atMost(
              "pool " + p.pool() + " recycle thrash",
              p.maxRecyclesInAMinute(),
              policy.recycleMaxPerMinute(),
              "/min",
              String.format(
                  Locale.ROOT,
                  "%d recycles in %.1f min; at most %d in any minute",
                  p.recycles(),
                  p.minutes(),
                  p.maxRecyclesInAMinute())));
    }
    return gates;
  }
}
