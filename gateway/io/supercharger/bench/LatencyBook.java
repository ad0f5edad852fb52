package io.supercharger.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The run's latencies by route, by class and overall: the totals and one row per tick (the
 * timeline). Recording goes to {@link #route(String)}'s {@link RouteStats} from any thread; {@link
 * #tick} and the summaries belong to one thread (the ticker, then the report writer).
 */
public final class LatencyBook {
  public static final String OVERALL = "all";

  private final Map<String, RouteStats> routes = new LinkedHashMap<>();
  private final Map<String, Totals> routeTotals = new LinkedHashMap<>();
  private final Map<String, List<Interval>> timeline = new LinkedHashMap<>();
  private final List<Double> ticks = new ArrayList<>();
  private Interval lastOverall;

  /** Registers the routes up front, so recording never allocates or locks. */
  public LatencyBook(Map<String, String> routeClasses) {
    routeClasses.forEach(
        (route, cls) -> {
          routes.put(route, new RouteStats(route, cls));
          routeTotals.put(route, new Totals());
        });
  }

  RouteStats route(String name) {
    return routes.get(name);
  }

  /** Test and generator entry point: records one latency for a route. */
  public void record(String route, long latencyNanos, Outcome outcome) {
    routes.get(route).record(latencyNanos, outcome);
  }

  /**
   * Closes the interval that ends at {@code tSeconds} (seconds since the start of the run), adding
   * one timeline row per route, per class and overall, and folding the interval into the totals.
   */
  public void tick(double tSeconds, double spanSeconds) {
    Map<String, Totals> byClass = new TreeMap<>();
    Totals overall = new Totals();
    for (RouteStats rs : routes.values()) {
      RouteStats.Snapshot s = rs.takeInterval();
      routeTotals.get(rs.route).add(s.latencies(), s.outcomes());
      append("route:" + rs.route, tSeconds, s.latencies(), s.outcomes(), spanSeconds);
      byClass.computeIfAbsent(rs.requestClass, c -> new Totals()).add(s.latencies(), s.outcomes());
      overall.add(s.latencies(), s.outcomes());
    }
    byClass.forEach(
        (cls, t) -> append("class:" + cls, tSeconds, t.latencies, t.outcomes, spanSeconds));
    lastOverall = append(OVERALL, tSeconds, overall.latencies, overall.outcomes, spanSeconds);
    ticks.add(tSeconds);
  }

  private Interval append(String key, double t, Histogram h, long[] outcomes, double span) {
    Interval row = new Interval(t, Summary.of(h, outcomes, span));
    timeline.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
    return row;
  }

  /** The last closed interval over all routes, or null before the first tick. */
  public Interval lastInterval() {
    return lastOverall;
  }

  public List<Double> ticks() {
    return ticks;
  }

  /** Rows keyed "route:NAME", "class:read|write" and "all". */
  public Map<String, List<Interval>> timeline() {
    return timeline;
  }

  public Map<String, Summary> routeSummaries(double seconds) {
    Map<String, Summary> out = new LinkedHashMap<>();
    routeTotals.forEach((route, t) -> out.put(route, t.summary(seconds)));
    return out;
  }

  public Map<String, Summary> classSummaries(double seconds) {
    Map<String, Totals> byClass = new TreeMap<>();
    routeTotals.forEach(
        (route, t) ->
            byClass.computeIfAbsent(routes.get(route).requestClass, c -> new Totals()).add(t));
    Map<String, Summary> out = new LinkedHashMap<>();
    byClass.forEach((cls, t) -> out.put(cls, t.summary(seconds)));
    return out;
  }

  public Summary overall(double seconds) {
    Totals all = new Totals();
    routeTotals.values().forEach(all::add);
    return all.summary(seconds);
  }

  public String classOf(String route) {
    return routes.get(route).requestClass;
  }

  /** One timeline row: the end of its interval (seconds since start) and what happened in it. */
  public record Interval(double t, Summary summary) {}

  private static final class Totals {
    final Histogram latencies = new Histogram(RouteStats.MAX_MICROS, 3);
    final long[] outcomes = new long[Outcome.values().length];

    void add(Histogram h, long[] o) {
      latencies.add(h);
      for (int i = 0; i < o.length; i++) {
        outcomes[i] += o[i];
      }
    }

    void add(Totals other) {
      add(other.latencies, other.outcomes);
    }

    Summary summary(double seconds) {
      return Summary.of(latencies, outcomes, seconds);
    }
  }
}
