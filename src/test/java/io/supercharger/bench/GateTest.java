package io.supercharger.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.cli.MainAccess;
import io.supercharger.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `gate` against a real gateway on a free port, once set up to pass and once to fail. The upstreams
 * are listening sockets (the pools probe by TCP connect), which is all the checklist needs to see
 * READY. The reset item is SKIP (the stand-in upstreams report no reset counters), so the passing
 * setup needs --allow-skip. The canary (an hour-long window, so nothing moves) is there for the
 * rollback item, which the CLI checks with `canary rollback --dry-run`.
 */
class GateTest {
  private static final String TOKEN = "gate-test-token";

  @TempDir Path dir;

  private TestGateway gateway(String securityMode, ServerSocket worker, ServerSocket fpm)
      throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, TOKEN + "\n");
    return TestGateway.start(
        """
        security: {mode: %s, allowlist: ["127.0.0.1/32"], token_file: "%s"}
        pools:
          worker: {engine: php-worker, protocol: http, instances: ["127.0.0.1:%d"]}
          fpm:
            engine: fpm
            protocol: fastcgi
            instances: ["127.0.0.1:%d"]
            fastcgi: {document_root: /tmp, index: index.php, max_children: 2}
        split: {weights: {worker: 50, fpm: 50}}
        canary: {pool: worker, baseline: fpm, steps: [5, 100], interval_second: 3600, state_file: "%s"}
        flight_recorder: {enabled: false}
        """
            .formatted(
                securityMode,
                token,
                worker.getLocalPort(),
                fpm.getLocalPort(),
                dir.resolve("canary.json")));
  }

  private Path report(Instant generatedAt, String verdict) throws Exception {
    Path run = dir.resolve("reports").resolve("20260101T000000Z-read-heavy");
    Files.createDirectories(run);
    Files.writeString(
        run.resolve("report.json"),
        new JsonObject()
            .put("schema", BenchReport.SCHEMA)
            .put("generated_at", generatedAt.toString())
            .put("overall", new JsonObject().put("count", 12000))
            .put(
                "soak",
                new JsonObject()
                    .put("samples", new JsonArray().add(new JsonObject()).add(new JsonObject()))
                    .put(
                        "recycles",
                        new JsonArray()
                            .add(
                                new JsonObject().put("pool", "worker").put("reason", "max_request"))
                            .add(new JsonObject().put("pool", "worker").put("reason", "max_memory"))
                            .add(
                                new JsonObject()
                                    .put("pool", "worker")
                                    .put("reason", "max_uptime"))))
            .put("verdict", new JsonObject().put("result", verdict).put("gates", new JsonArray()))
            .encode());
    return dir.resolve("reports");
  }

  private Path alerts() throws Exception {
    Path file = dir.resolve("alerts.yaml");
    Files.writeString(
        file,
        """
        groups:
          - name: gateway
            rules:
              - alert: GatewayErrorRateHigh
                expr: sum(rate(gateway_request_duration_seconds_count{status="5xx"}[5m])) / sum(rate(gateway_request_duration_seconds_count[5m])) > 0.005
                for: 10m
                labels: {severity: page}
                annotations: {summary: "5xx above 0.5 %"}
        """);
    return file;
  }

  @Test
  void aGuardedGatewayWithAFreshPassingReportIsGoWithSkipsAllowed() throws Exception {
    try (ServerSocket worker = new ServerSocket(0);
        ServerSocket fpm = new ServerSocket(0);
        TestGateway gw = gateway("allowlist_or_token", worker, fpm)) {
      Path reports = report(Instant.now().minus(Duration.ofHours(2)), "PASS");
      Map<String, Check> items = checks(gw, reports);
      assertEquals(
          Check.Result.PASS,
          items.get("/status reachable, engine and build info").result(),
          items.toString());
      Check metrics = items.get("/metrics only with token or allowlist");
      assertEquals(Check.Result.PASS, metrics.result(), metrics.evidence());
      assertTrue(metrics.evidence().contains("127.0.0.2"), metrics.evidence());
      assertEquals(
          Check.Result.PASS,
          items.get("bench+soak report stored and passing").result(),
          items.toString());
      // The soak report's recycle markers show each of the worker pool's triggers firing.
      assertEquals(
          Check.Result.PASS, items.get("recycle triggers validated").result(), items.toString());
      assertEquals(
          Check.Result.SKIP, items.get("reset triggers validated").result(), items.toString());
      Check rollback = items.get("rollback plan ready");
      assertEquals(Check.Result.SKIP, rollback.result(), rollback.evidence());
      assertTrue(rollback.evidence().contains("fpm: 1/1 instances READY"), rollback.evidence());
      assertEquals(Check.Result.PASS, items.get("alert rules in place").result(), items.toString());

      String[] args = {
        "gate",
        "--url",
        "http://127.0.0.1:" + gw.port(),
        "--token-file",
        dir.resolve("token").toString(),
        "--report",
        reports.toString(),
        "--alerts",
        alerts().toString()
      };
      assertEquals(1, cli(args).status(), "SKIP is No-Go by default");
      Cli go = cli(concat(args, "--allow-skip"));
      assertEquals(0, go.status(), go.out());
      assertTrue(go.out().contains("[PASS] /status reachable"), go.out());
      assertTrue(go.out().startsWith("Go/No-Go checklist"), go.out());
      assertTrue(
          go.out()
              .contains(
                  "canary rollback --dry-run: exit 0: dry run, nothing changed: rollback: step 1 at 5%"),
          go.out());
    }
  }

  @Test
  void anOpenMetricsEndpointAndAStaleReportAreNoGo() throws Exception {
    try (ServerSocket worker = new ServerSocket(0);
        ServerSocket fpm = new ServerSocket(0);
        TestGateway gw = gateway("off", worker, fpm)) {
      Path reports = report(Instant.now().minus(Duration.ofDays(10)), "PASS");
      Map<String, Check> items = checks(gw, reports);
      Check metrics = items.get("/metrics only with token or allowlist");
      assertEquals(Check.Result.FAIL, metrics.result(), metrics.evidence());
      assertTrue(metrics.evidence().contains("HTTP 200"), metrics.evidence());
      Check report = items.get("bench+soak report stored and passing");
      assertEquals(Check.Result.FAIL, report.result());
      assertTrue(report.evidence().contains("older than --max-age 7 d"), report.evidence());

      Cli json =
          cli(
              new String[] {
                "gate",
                "--url",
                "http://127.0.0.1:" + gw.port(),
                "--token-file",
                dir.resolve("token").toString(),
                "--report",
                reports.toString(),
                "--alerts",
                alerts().toString(),
                "--allow-skip",
                "--json"
              });
      assertEquals(1, json.status(), "a FAIL is No-Go even with --allow-skip");
      JsonObject out = new JsonObject(json.out());
      assertEquals("NO-GO", out.getString("result"));
      assertEquals(7, out.getJsonArray("items").size());
    }
  }

  private Map<String, Check> checks(TestGateway gw, Path reports) throws Exception {
    GateChecks gate =
        new GateChecks(
            new GateChecks.Options(
                java.net.URI.create("http://127.0.0.1:" + gw.port()),
                TOKEN,
                reports,
                Duration.ofDays(7),
                alerts(),
                () -> null),
            Clock.systemUTC());
    List<Check> items = gate.run();
    return items.stream()
        .collect(Collectors.toMap(Check::name, c -> c, (a, b) -> a, java.util.LinkedHashMap::new));
  }

  private record Cli(int status, String out) {}

  private static Cli cli(String[] args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int status = MainAccess.run(args, ps, ps);
    return new Cli(status, buf.toString(StandardCharsets.UTF_8));
  }

  private static String[] concat(String[] a, String b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = b;
    return out;
  }
}
