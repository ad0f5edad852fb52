package io.supercharger.bench;

import io.supercharger.config.GatewayConfig;
import io.supercharger.config.RouteConfig;
import io.supercharger.policy.SloPolicy;
import io.supercharger.routing.Route;
import io.supercharger.routing.RouteClass;
import io.supercharger.routing.RouteTable;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/** One `bench` run: load (and soak sampling), then the verdict and the stored report. */
public final class BenchRun {
  /**
   * @param statusUri /status of the gateway for soak sampling; null without --soak
   * @param progress where the live progress line goes (a terminal), or null
   */
  public record Options(
      URI target,
      Scenario scenario,
      String scenarioSource,
      double rate,
      int connections,
      boolean closedLoop,
      Duration duration,
      Duration timeout,
      Path out,
      URI statusUri,
      String token,
      Duration sampleEvery,
      SloPolicy policy,
      PrintStream progress) {}

  public record Done(Path dir, JsonObject report, Verdict verdict) {}

  private final Clock clock;

  public BenchRun(Clock clock) {
    this.clock = clock;
  }

  public Done run(Options o) throws IOException {
    Instant startedAt = clock.instant();
    LatencyBook book = new LatencyBook(o.scenario().routeClasses());
    LoadGenerator generator =
        new LoadGenerator(
            new LoadGenerator.Options(
                o.target(), o.rate(), o.connections(), o.closedLoop(), o.duration(), o.timeout()),
            o.scenario(),
            book);
    SoakSampler sampler =
        o.statusUri() == null
            ? null
            : new SoakSampler(o.statusUri(), o.token(), o.sampleEvery(), System.nanoTime());
    if (sampler != null) {
      sampler.start();
    }
    LoadGenerator.Result result;
    try {
      result =
          generator.run(o.progress() == null ? null : progressLine(o.progress(), o.duration()));
    } finally {
      if (sampler != null) {
        sampler.close();
      }
    }
    if (o.progress() != null) {
      o.progress().print("\r\033[K");
      o.progress().flush();
    }
    SoakAnalysis soak =
        sampler == null
            ? null
            : SoakAnalysis.of(sampler.finish(), o.policy().memoryWindowMinutes());
    double seconds = result.seconds();
    Verdict verdict =
        Verdict.evaluate(
            o.policy(),
            book.classSummaries(seconds),
            book.routeSummaries(seconds),
            o.scenario().routeClasses(),
            soak);
    BenchReport.Setup setup =
        new BenchReport.Setup(
            o.target().toString(),
            o.closedLoop() ? "closed-loop" : "open-loop",
            o.rate(),
            o.connections(),
            o.duration().toMillis() / 1000.0,
            o.timeout().toMillis(),
            o.policy().source(),
            o.scenarioSource());
    Instant finishedAt = clock.instant();
    JsonObject report =
        BenchReport.build(o.scenario(), setup, startedAt, finishedAt, result, book, soak, verdict);
    Path dir = ReportStore.write(o.out(), o.scenario().name(), startedAt, report);
    return new Done(dir, report, verdict);
  }

  /** " 12 s / 30 s rate 1000/s p95 3.2 ms errors 0" rewritten in place once a second. */
  static LoadGenerator.Listener progressLine(PrintStream out, Duration duration) {
    long[] errors = {0};
    return (elapsed, last, scheduled) -> {
      Summary s = last.summary();
      errors[0] += s.errorCount();
      out.printf(
          Locale.ROOT,
          "\r\033[K  %3.0f s / %d s   rate %,.0f/s   p95 %s   errors %,d   (scheduled %,d)",
          elapsed,
          duration.toSeconds(),
          s.throughput(),
          s.count() == 0 ? "–" : String.format(Locale.ROOT, "%.1f ms", s.p95Ms()),
          errors[0],
          scheduled);
      out.flush();
    };
  }

  /**
   * The gateway's route table, to name and classify scenario requests (same mapping as the
   * server's).
   */
  public static RouteTable routeTable(GatewayConfig config) {
    List<Route> routes = new ArrayList<>();
    for (RouteConfig rc : config.routes()) {
      routes.add(
          new Route(
              rc.name(),
              rc.path(),
              new HashSet<>(rc.methods()),
              "write".equals(rc.routeClass()) ? RouteClass.WRITE : RouteClass.READ,
              routes.size(),
              rc.pool()));
    }
    return new RouteTable(routes);
  }
}
