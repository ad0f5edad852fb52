package io.supercharger.cli;

import io.supercharger.config.GatewayConfig;
import io.supercharger.config.RouteConfig;
import io.supercharger.demo.LatencyRecorder;
import io.supercharger.demo.TrafficDriver;
import io.supercharger.server.Gateway;
import io.supercharger.upstream.Pool;
import io.supercharger.upstream.RecycleReason;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** The demo's one-screen summary: split observed against configured, latency per route, SLOs. */
final class DemoSummary {
  private static final Map<String, String> SAPI_OF_ENGINE =
      Map.of("php-worker", "cli", "fpm", "fpm-fcgi");

  private final GatewayConfig config;
  private final Gateway gateway;
  private final TrafficDriver.Result result;

  DemoSummary(GatewayConfig config, Gateway gateway, TrafficDriver.Result result) {
    this.config = config;
    this.gateway = gateway;
    this.result = result;
  }

  void print(PrintStream out) {
    out.printf(
        "%nDone: %,d requests in %.1f s (%,.0f req/s), %d errors%n",
        result.requests(), result.seconds(), result.requests() / result.seconds(), result.errors());
    out.println();
    out.println("Requests per pool (served-by as reported by PHP, against the configured split)");
    long served = result.bySapi().values().stream().mapToLong(AtomicLong::get).sum();
    out.printf(
        "  %-8s %-10s %9s  %6s   %-15s %9s %9s%n",
        "pool", "(sapi)", "requests", "share", "", "p50 ms", "p95 ms");
    for (Pool pool : gateway.pools()) {
      String sapi = SAPI_OF_ENGINE.getOrDefault(pool.config().engine(), "?");
      long n = result.bySapi().getOrDefault(sapi, new AtomicLong()).get();
      int weight = config.split().weights().getOrDefault(pool.name(), 0);
      LatencyRecorder latency = result.latencyBySapi().getOrDefault(sapi, new LatencyRecorder());
      // Under a canary the weight moves during the run, so the share is compared with nothing
      // fixed.
      String against =
          gateway.canary() == null
              ? String.format("configured %3d%%", weight)
              : String.format("now at %3d%%", gateway.weights().getOrDefault(pool.name(), 0));
      out.printf(
          "  %-8s %-10s %,9d  %5.1f%%   %-15s %9.2f %9.2f%n",
          pool.name(),
          "(" + sapi + ")",
          n,
          served == 0 ? 0.0 : 100.0 * n / served,
          against,
          latency.quantileMs(0.50),
          latency.quantileMs(0.95));
    }
    printWorkerAdvantage(out);
    out.println();
    out.printf(
        "  %-16s %-6s %9s %9s %9s %9s %8s%n",
        "route", "class", "requests", "p50 ms", "p95 ms", "p99 ms", "errors");
    for (var e : result.byRoute().entrySet()) {
      var r = e.getValue();
      out.printf(
          "  %-16s %-6s %,9d %9.2f %9.2f %9.2f %7.2f%%%n",
          e.getKey(),
          classOf(e.getKey()),
          r.count(),
          r.quantileMs(0.50),
          r.quantileMs(0.95),
          r.quantileMs(0.99),
          r.count() == 0 ? 0.0 : 100.0 * r.errors() / r.count());
    }
    printRecycles(out);
    printCanary(out);
    out.println();
    out.println("SLO gates (runbook): read p95 <= 250 ms, write p95 <= 700 ms, errors <= 0.5%");
    for (String cls : new String[] {"read", "write"}) {
      double worstP95 = 0;
      long count = 0;
      long errors = 0;
      for (var e : result.byRoute().entrySet()) {
        if (cls.equals(classOf(e.getKey()))) {
          worstP95 = Math.max(worstP95, e.getValue().quantileMs(0.95));
          count += e.getValue().count();
          errors += e.getValue().errors();
        }
      }
      double errorPct = count == 0 ? 0 : 100.0 * errors / count;
      boolean pass = worstP95 <= ("read".equals(cls) ? 250 : 700) && errorPct <= 0.5;
      out.printf(
          "  %-5s worst route p95 %.2f ms, errors %.2f%%: %s%n",
          cls, worstP95, errorPct, pass ? "PASS" : "FAIL");
    }
  }

  /** Recycles per pool and reason, as the gateway counted them (the worker lifecycle at work). */
  private void printRecycles(PrintStream out) {
    out.println();
    out.println("Worker lifecycle (drain, recycle, restart)");
    for (Pool pool : gateway.pools()) {
      if (gateway.lifecycle(pool.name()) == null) {
        out.printf(
            "  %-8s lifecycle off (%s renews its own workers)%n",
            pool.name(), pool.config().engine());
        continue;
      }
      StringBuilder reasons = new StringBuilder();
      long total = 0;
      for (RecycleReason reason : RecycleReason.values()) {
        long n = pool.instances().stream().mapToLong(i -> i.recycles(reason)).sum();
        if (n > 0) {
          reasons
              .append(reasons.length() == 0 ? "" : ", ")
              .append(reason.label())
              .append(' ')
              .append(n);
          total += n;
        }
      }
      out.printf(
          "  %-8s %d recycles%s, max_request %d per instance%n",
          pool.name(),
          total,
          total == 0 ? "" : " (" + reasons + ")",
          gateway.lifecycle(pool.name()).config().maxRequest());
    }
  }

  /** The canary's step history: each promotion or rollback with the verdict behind it. */
  private void printCanary(PrintStream out) {
    if (gateway.canary() == null) {
      return;
    }
    var state = gateway.canary().controller().state();
    out.println();
    out.printf(
        "Canary: pool %s at %d%% (%s)%n",
        gateway.canary().controller().canaryPool().name(), state.weight(), state.status().label());
    for (var e : gateway.canary().events()) {
      String reasons =
          e.getJsonArray("reasons").isEmpty()
              ? ""
              : ": "
                  + String.join(
                      "; ", e.getJsonArray("reasons").stream().map(String::valueOf).toList());
      out.printf(
          "  %s  %-8s -> %3d%%  (%s%s)%n",
          e.getString("at").substring(11, 19),
          e.getString("event"),
          e.getInteger("weight"),
          e.getString("verdict"),
          reasons);
    }
  }

  /**
   * The point of worker mode, in one line: the same app, kernel warm against booted per request.
   */
  private void printWorkerAdvantage(PrintStream out) {
    LatencyRecorder worker = result.latencyBySapi().get("cli");
    LatencyRecorder fpm = result.latencyBySapi().get("fpm-fcgi");
    if (worker == null || fpm == null || worker.count() == 0 || fpm.count() == 0) {
      return;
    }
    out.printf(
        "  worker mode vs php-fpm: p50 %.1fx, p95 %.1fx lower latency (kernel booted once, not per request)%n",
        fpm.quantileMs(0.50) / worker.quantileMs(0.50),
        fpm.quantileMs(0.95) / worker.quantileMs(0.95));
  }

  private String classOf(String route) {
    return config.routes().stream()
        .filter(r -> r.name().equals(route))
        .map(RouteConfig::routeClass)
        .findFirst()
        .orElse("read");
  }
}
