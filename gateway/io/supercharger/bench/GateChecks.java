package io.supercharger.bench;

import io.supercharger.telemetry.PrometheusText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The runbook's Go/No-Go checklist, walked against a running gateway. Each item is a {@link Check}
 * with its evidence. Items that need what later issues add (recycle counters, reset counters, the
 * canary command, the alert rules) report SKIP with the reason until those land.
 */
public final class GateChecks {
  /**
   * @param rollbackDryRun runs `canary rollback --dry-run` and returns its check, or null when the
   *     command does not exist yet
   */
  public record Options(
      URI url,
      String token,
      Path reportDir,
      Duration maxAge,
      Path alertsFile,
      Supplier<Check> rollbackDryRun) {}

  private final Options o;
  private final Clock clock;
  private final GateClient client;
  private JsonObject status;
  private PrometheusText metrics;
  private JsonObject report;

  public GateChecks(Options options, Clock clock) {
    this.o = options;
    this.clock = clock;
    this.client = new GateClient(options.url(), options.token());
  }

  public List<Check> run() {
    List<Check> items = new ArrayList<>();
    items.add(guarded("/status reachable, engine and build info", this::status));
    items.add(guarded("/metrics only with token or allowlist", this::metrics));
    items.add(guarded("bench+soak report stored and passing", this::report));
    items.add(
        guarded(
            "recycle triggers validated",
            () -> new LifecycleEvidence(status, metrics, report).recycleTriggers()));
    items.add(
        guarded(
            "reset triggers validated",
            () -> new LifecycleEvidence(status, metrics, report).resetTriggers()));
    items.add(guarded("rollback plan ready", this::rollback));
    items.add(guarded("alert rules in place", () -> AlertRules.check(o.alertsFile())));
    return items;
  }

  private interface Item {
    Check run() throws Exception;
  }

  private static Check guarded(String name, Item item) {
    try {
      Check c = item.run();
      return new Check(name, c.result(), c.measured(), c.limit(), c.unit(), c.evidence());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Check.fail(name, "interrupted");
    } catch (Exception e) {
      return Check.fail(name, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private Check status() throws Exception {
    GateClient.Answer a = client.getWithToken("/status");
    if (a.status() != 200) {
      return Check.fail("", "GET /status with the token: HTTP " + a.status());
    }
    status = new JsonObject(a.body());
    JsonObject build = status.getJsonObject("build", new JsonObject());
    JsonObject pools = status.getJsonObject("pools", new JsonObject());
    List<String> engines =
        pools.fieldNames().stream()
            .map(p -> p + "=" + pools.getJsonObject(p).getString("engine"))
            .toList();
    if (build.getString("version") == null || engines.isEmpty()) {
      return Check.fail("", "200, but build.version or pools[].engine is missing");
    }
    return Check.pass(
        "",
        String.format(
            Locale.ROOT,
            "200 in %d ms; build %s (commit %s, built %s); engines %s",
            a.millis(),
            build.getString("version"),
            build.getString("commit"),
            build.getString("built_at"),
            String.join(", ", engines)));
  }

  private Check metrics() throws Exception {
    GateClient.Answer with = client.getWithToken("/metrics");
    if (with.status() != 200 || !with.body().contains("gateway_")) {
      return Check.fail(
          "",
          "GET /metrics with the token: HTTP "
              + with.status()
              + (with.status() == 200 ? " without gateway_ metrics" : ""));
    }
    metrics = PrometheusText.parse(with.body());
    InetAddress host = InetAddress.getByName(o.url().getHost());
    InetAddress source =
        host.isLoopbackAddress() && host.getAddress().length == 4
            ? InetAddress.getByName("127.0.0.2")
            : null;
    GateClient.Answer without;
    try {
      without = client.getWithoutToken("/metrics", source);
    } catch (java.io.IOException e) {
      return Check.skip(
          "",
          "served with the token; could not connect without it from "
              + (source == null ? "this host" : source.getHostAddress())
              + " ("
              + e.getMessage()
              + ")");
    }
    String from =
        source == null
            ? "this host"
            : source.getHostAddress() + " (outside a 127.0.0.1/32 allowlist)";
    if (without.status() == 401 || without.status() == 403) {
      return Check.pass(
          "", "with the token: 200; without it from " + from + ": " + without.status());
    }
    if (without.status() == 200 && source == null) {
      return Check.skip(
          "",
          "served without a token from this host: it is allowlisted or the guard is off, and the gate "
              + "cannot tell which from here; run the gate from outside the allowlist");
    }
    return Check.fail(
        "",
        "without a token from " + from + ": HTTP " + without.status() + " (expected 401 or 403)");
  }

  private Check report() throws Exception {
    if (o.reportDir() == null) {
      return Check.fail(
          "", "no --report DIR given: run `supercharger bench --soak … --out DIR` and pass DIR");
    }
    var found = ReportStore.latest(o.reportDir());
    if (found.isEmpty()) {
      return Check.fail("", "no report.json under " + o.reportDir());
    }
    report = new JsonObject(java.nio.file.Files.readString(found.get()));
    Duration age =
        Duration.between(
            java.time.Instant.parse(report.getString("generated_at")), clock.instant());
    String where = found.get() + ", " + age.toHours() + " h old";
    String verdict = report.getJsonObject("verdict", new JsonObject()).getString("result");
    if (age.compareTo(o.maxAge()) > 0) {
      return Check.fail("", where + ": older than --max-age " + o.maxAge().toDays() + " d");
    }
    if (report.getValue("soak") == null) {
      return Check.fail("", where + ": a bench without --soak (no memory and recycle evidence)");
    }
    if (!"PASS".equals(verdict)) {
      return Check.fail("", where + ": verdict " + verdict + failedGates());
    }
    return Check.pass(
        "",
        where
            + ": verdict PASS, "
            + report.getJsonObject("overall").getLong("count")
            + " requests, "
            + report.getJsonObject("soak").getJsonArray("samples").size()
            + " /status samples");
  }

  private String failedGates() {
    JsonArray gates = report.getJsonObject("verdict").getJsonArray("gates", new JsonArray());
    List<String> failed =
        gates.stream()
            .map(g -> (JsonObject) g)
            .filter(g -> "FAIL".equals(g.getString("result")))
            .map(g -> g.getString("name"))
            .toList();
    return failed.isEmpty() ? "" : " (" + String.join(", ", failed) + ")";
  }

  private Check rollback() {
    if (status == null) {
      return Check.fail("", "no /status to find the baseline pool");
    }
    JsonObject pools = status.getJsonObject("pools", new JsonObject());
    JsonObject canary = status.getJsonObject("canary", new JsonObject());
    String baseline = canary.getString("baseline");
    if (baseline == null) {
      baseline =
          pools.fieldNames().stream()
              .filter(p -> "fpm".equals(pools.getJsonObject(p).getString("engine")))
              .findFirst()
              .orElse(null);
    }
    if (baseline == null || !pools.containsKey(baseline)) {
      return Check.fail("", "no FPM baseline pool is configured: rollback has nowhere to go");
    }
    JsonArray instances = pools.getJsonObject(baseline).getJsonArray("instances", new JsonArray());
    long ready =
        instances.stream().filter(i -> "READY".equals(((JsonObject) i).getString("state"))).count();
    String evidence =
        "baseline pool " + baseline + ": " + ready + "/" + instances.size() + " instances READY";
    if (ready == 0) {
      return Check.fail("", evidence);
    }
    Check dryRun = o.rollbackDryRun() == null ? null : o.rollbackDryRun().get();
    if (dryRun == null) {
      return Check.skip(
          "", evidence + "; `canary rollback --dry-run` is not available yet (canary issue)");
    }
    return new Check(
        "",
        dryRun.result(),
        null,
        null,
        null,
        evidence + "; canary rollback --dry-run: " + dryRun.evidence());
  }
}
