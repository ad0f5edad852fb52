package io.supercharger.cli;

import io.supercharger.bench.BenchRun;
import io.supercharger.bench.Check;
import io.supercharger.bench.Durations;
import io.supercharger.bench.Scenario;
import io.supercharger.bench.ScenarioLoader;
import io.supercharger.config.ConfigLoader;
import io.supercharger.policy.SloPolicy;
import io.supercharger.routing.RouteTable;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code supercharger bench}: load a target with a scenario, then store report.json and
 * report.html.
 */
final class BenchCommand {

  int run(Args args, PrintStream out, PrintStream err) {
    URI target = uri(required(args, "target"), "target");
    Path scenarioFile = Path.of(required(args, "scenario"));
    boolean closedLoop = args.option("connections") != null && args.option("rate") == null;
    int rate = args.intOption("rate", 100, 1, 1_000_000);
    int connections = args.intOption("connections", 64, 1, 10_000);
    Duration duration = duration(args, "duration", "30s");
    Duration timeout = duration(args, "timeout", "10s");
    Duration every = duration(args, "sample-every", "5s");
    Path outDir = Path.of(args.option("out") == null ? "bench-reports" : args.option("out"));
    boolean soak = args.flag("soak");
    if (!soak && (args.option("url") != null || args.option("token-file") != null)) {
      throw new Args.UsageException("--url and --token-file are for --soak (and gate)");
    }
    try {
      RouteTable routes =
          args.option("config") == null
              ? null
              : BenchRun.routeTable(
                  ConfigLoader.load(Path.of(args.option("config")), System.getenv()));
      Scenario scenario = ScenarioLoader.load(scenarioFile, routes);
      SloPolicy policy = policy(args.option("policy"));
      URI statusUri = null;
      String token = null;
      if (soak) {
        URI base = args.option("url") == null ? target : uri(args.option("url"), "url");
        statusUri = URI.create(base.toString().replaceFirst("/+$", "") + "/status");
        token =
            args.option("token-file") == null
                ? null
                : Files.readString(Path.of(args.option("token-file"))).trim();
      }
      out.printf(
          Locale.ROOT,
          "bench %s: %s against %s for %d s%s%n",
          scenario.name(),
          closedLoop
              ? connections + " connections, closed loop"
              : rate + " req/s open loop (up to " + connections + " connections)",
          target,
          duration.toSeconds(),
          soak ? ", sampling " + statusUri + " every " + every.toSeconds() + " s" : "");
      BenchRun.Done done =
          new BenchRun(Clock.systemUTC())
              .run(
                  new BenchRun.Options(
                      target,
                      scenario,
                      scenarioFile.toString(),
                      rate,
                      connections,
                      closedLoop,
                      duration,
                      timeout,
                      outDir,
                      statusUri,
                      token,
                      every,
                      policy,
                      System.console() != null ? err : null));
      print(done, out);
      return done.verdict().result() == Check.Result.PASS ? Main.EXIT_OK : Main.EXIT_FAILURE;
    } catch (IllegalArgumentException e) {
      err.println("supercharger bench: " + scenarioFile + ": " + e.getMessage());
      return Main.EXIT_USAGE;
    } catch (IOException e) {
      err.println("supercharger bench: " + e.getMessage());
      return Main.EXIT_FAILURE;
    }
  }

  private static void print(BenchRun.Done done, PrintStream out) {
    JsonObject r = done.report();
    out.printf(
        Locale.ROOT,
        "%n%-22s %8s %9s %9s %9s %9s %9s %7s%n",
        "route",
        "count",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "err %");
    r.getJsonObject("routes").forEach(e -> row(out, e.getKey(), (JsonObject) e.getValue()));
    r.getJsonObject("classes")
        .forEach(e -> row(out, "class " + e.getKey(), (JsonObject) e.getValue()));
    row(out, "all", r.getJsonObject("overall"));
    out.println();
    for (Check g : done.verdict().gates()) {
      out.printf(Locale.ROOT, "  [%s] %-28s %s%n", g.result(), g.name(), g.evidence());
    }
    out.printf(
        "%nverdict: %s%nreport:  %s%n         %s%n",
        done.verdict().result(),
        done.dir().resolve("report.html"),
        done.dir().resolve("report.json"));
  }

  private static void row(PrintStream out, String name, JsonObject s) {
    out.printf(
        Locale.ROOT,
        "%-22s %8d %9.1f %9.2f %9.2f %9.2f %9.2f %7.2f%n",
        name,
        s.getLong("count"),
        s.getDouble("throughput_rps"),
        s.getDouble("p50_ms"),
        s.getDouble("p95_ms"),
        s.getDouble("p99_ms"),
        s.getDouble("max_ms"),
        s.getDouble("error_rate_pct"));
  }

  static SloPolicy policy(String file) {
    if (file != null) {
      return SloPolicy.load(Path.of(file));
    }
    Path local = Path.of("policies/slo.yaml");
    return Files.isRegularFile(local) ? SloPolicy.load(local) : SloPolicy.embedded();
  }

  static String required(Args args, String name) {
    String v = args.option(name);
    if (v == null) {
      throw new Args.UsageException("--" + name + " is required (see --help)");
    }
    return v;
  }

  static URI uri(String v, String name) {
    if (!v.matches("https?://[^/]+.*")) {
      throw new Args.UsageException("--" + name + " " + v + " (expected http://host:port)");
    }
    return URI.create(v);
  }

  static Duration duration(Args args, String name, String fallback) {
    try {
      return Durations.parse(args.option(name) == null ? fallback : args.option(name));
    } catch (IllegalArgumentException e) {
      throw new Args.UsageException("--" + name + " " + e.getMessage());
    }
  }
}
