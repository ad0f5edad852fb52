package io.supercharger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.supercharger.canary.CanaryController;
import io.supercharger.canary.CanaryState.Status;
import io.supercharger.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code supercharger canary} against a real gateway: the pools' instances are bare listening
 * sockets, which is all the admin API needs, and the window is an hour long so that nothing but the
 * command moves the canary. Steps [5, 25, 100]: the canary starts at step 1, 5%.
 */
class CanaryCommandTest {
  private static final String TOKEN = "s3cret-canary-token";

  @TempDir Path dir;

  private final List<ServerSocket> instances = new ArrayList<>();
  private TestGateway gw;
  private String url;
  private Path tokenFile;

  private record Result(int status, String out, String err) {}

  @BeforeEach
  void writeToken() throws IOException {
    // A trailing newline, as an editor or `echo` leaves it: the command trims the file.
    tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
  }

  /** Started by the tests that talk to it; usage errors must fail before anything is sent. */
  private String url() throws Exception {
    if (gw == null) {
      startGateway();
    }
    return url;
  }

  private void startGateway() throws Exception {
    ServerSocket worker = listening();
    ServerSocket fpm = listening();
    gw =
        TestGateway.start(
            """
        security: {mode: token, token_file: "%s"}
        pools:
          worker: {engine: php-worker, instances: ["127.0.0.1:%d"], lifecycle: {enabled: false}}
          fpm: {engine: fpm, instances: ["127.0.0.1:%d"], fastcgi: {document_root: /tmp}}
        split: {weights: {worker: 0, fpm: 100}}
        canary: {pool: worker, baseline: fpm, steps: [5, 25, 100], interval_second: 3600, min_requests: 10,
                 state_file: "%s"}
        flight_recorder: {enabled: false}
        """
                .formatted(
                    tokenFile,
                    worker.getLocalPort(),
                    fpm.getLocalPort(),
                    dir.resolve("canary.json")));
    url = "http://127.0.0.1:" + gw.port();
  }

  @AfterEach
  void stop() throws IOException {
    if (gw != null) {
      gw.close();
    }
    for (ServerSocket s : instances) {
      s.close();
    }
  }

  private ServerSocket listening() throws IOException {
    ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    instances.add(s);
    return s;
  }

  private CanaryController controller() throws Exception {
    url();
    return gw.gateway.canary().controller();
  }

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = Main.run(args, o, e);
    }
    Result r =
        new Result(
            status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    assertFalse(
        r.out().contains(TOKEN) || r.err().contains(TOKEN), "the token never appears: " + r);
    return r;
  }

  private Result canary(String... actionAndFlags) throws Exception {
    List<String> args = new ArrayList<>(List.of("canary"));
    args.addAll(List.of(actionAndFlags));
    args.addAll(List.of("--url", url(), "--token-file", tokenFile.toString()));
    return run(args.toArray(String[]::new));
  }

  @Test
  void statusSummarizesStepWeightStateAndTheLastVerdictWithItsReason() throws Exception {
    controller().evaluate(); // no traffic at all: an insufficient-data verdict, with its reason

    Result r = canary("status");

    assertEquals(0, r.status(), r.err());
    assertEquals("", r.err());
    assertTrue(
        r.out()
            .startsWith(
                """
        canary: pool worker, baseline fpm
        step:   1/3 at 5% (steps 5, 25, 100)
        state:  running, """),
        r.out());
    assertTrue(
        r.out().contains(" at this step, 0 failed window(s)\nverdicts (newest first):\n"), r.out());
    assertTrue(
        r.out().matches("(?s).*\n  \\S+Z  insufficient  0 requests < min_requests 10\n"), r.out());
  }

  @Test
  void statusJsonIsTheAdminApisAnswerAsItIs() throws Exception {
    Result r = canary("status", "--json");

    assertEquals(0, r.status(), r.err());
    JsonObject json = new JsonObject(r.out());
    assertEquals("worker", json.getString("pool"));
    assertEquals(5, json.getInteger("weight"));
    assertEquals("running", json.getString("state"));
  }

  @Test
  void aDryRunRollbackShowsTheOutcomeAndChangesNothing() throws Exception {
    Result r = canary("rollback", "--dry-run");

    assertEquals(0, r.status(), r.err());
    assertEquals(
        "dry run, nothing changed: rollback: step 1 at 5% (running) -> step 1 at 0% (rolled_back)\n",
        r.out());
    assertEquals(5, controller().state().weight());
    assertEquals(Status.RUNNING, controller().state().status());
    assertTrue(
        gw.get("/metrics", "X-Runtime-Token", TOKEN)
            .body()
            .contains("gateway_canary_weight{pool=\"worker\"} 5"));
  }

  /** The runbook's rollback plan is this one command: weight 0 at once, saved for a restart. */
  @Test
  void rollbackMovesEverythingToTheBaselineAndSavesIt() throws Exception {
    Result r = canary("rollback");

    assertEquals(0, r.status(), r.err());
    assertEquals("rollback: step 1 at 5% (running) -> step 1 at 0% (rolled_back)\n", r.out());
    assertEquals(0, controller().state().weight());
    assertEquals(Status.ROLLED_BACK, controller().state().status());
    String metrics = gw.get("/metrics", "X-Runtime-Token", TOKEN).body();
    assertTrue(metrics.contains("gateway_canary_weight{pool=\"worker\"} 0"), metrics);
    assertTrue(metrics.contains("gateway_canary_weight{pool=\"fpm\"} 100"), metrics);
    assertEquals(
        "rolled_back",
        new JsonObject(Files.readString(dir.resolve("canary.json"))).getString("status"));
    assertTrue(canary("status").out().contains("step:   1/3 at 0% "));
  }

  @ParameterizedTest(name = "canary {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "promote   | promote: step 1 at 5% (running) -> step 2 at 25% (running)",
        "pause     | pause: step 1 at 5% (running) -> step 1 at 5% (paused)",
        "resume    | resume: step 1 at 5% (running) -> step 1 at 5% (running)",
        "weight 50 | weight: step 1 at 5% (running) -> step 2 at 50% (running)",
        "weight 0  | weight: step 1 at 5% (running) -> step 1 at 0% (rolled_back)",
      })
  void eachMutationPrintsBeforeAndAfter(String command, String expected) throws Exception {
    Result r = canary(command.split(" "));

    assertEquals(0, r.status(), r.err());
    assertEquals(expected + "\n", r.out());
  }

  @Test
  void aMutationWithTheWrongTokenIsRefusedWithExitOne() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong"), "not-the-token");

    Result r = run("canary", "rollback", "--url", url(), "--token-file", wrong.toString());

    assertEquals(1, r.status());
    assertEquals("", r.out());
    assertTrue(
        r.err().startsWith("supercharger canary: the gateway refused rollback: 403 forbidden"),
        r.err());
    assertEquals(5, controller().state().weight(), "nothing changed");
  }

  @Test
  void aMutationWithoutAnyTokenIsRefusedWithExitOne() throws Exception {
    Result r = run("canary", "promote", "--url", url());

    assertEquals(1, r.status());
    assertTrue(r.err().contains("403 forbidden"), r.err());
  }

  /** Caddy's deadUpstreamAddr: a port that was bound and closed refuses every connect. */
  @Test
  void anUnreachableGatewayExitsOneSayingSo() throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = s.getLocalPort();
    }

    Result r =
        run(
            "canary",
            "rollback",
            "--url",
            "http://127.0.0.1:" + dead,
            "--token-file",
            tokenFile.toString());

    assertEquals(1, r.status());
    assertEquals(
        "supercharger canary: cannot reach the gateway at http://127.0.0.1:"
            + dead
            + "/admin/canary/rollback: connection refused\n",
        r.err());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " => ",
      value = {
        "canary --url http://h:1                       => which action? one of status|promote|pause|resume|rollback|weight",
        "canary frob --url http://h:1                  => unknown action 'frob' (expected one of status|promote|pause|resume|rollback|weight)",
        "canary weight --url http://h:1                => weight needs a percent: supercharger canary weight N",
        "canary weight 101 --url http://h:1            => weight 101 (expected a whole number from 0 to 100)",
        "canary rollback now --url http://h:1          => unexpected argument 'now' (see --help)",
        "canary rollback                               => --url is required, e.g. --url http://127.0.0.1:8080",
        "canary rollback --url ftp://h:1               => --url ftp://h:1 (expected http://HOST:PORT or https://HOST:PORT)",
        "canary status --dry-run --url http://h:1      => --dry-run applies to promote|pause|resume|rollback|weight",
        "canary rollback --url http://h:1 --token-file /nonexistent/token => --token-file /nonexistent/token: cannot read it",
        "canary rollback --frob                        => unknown option --frob (see --help)",
      })
  void usageErrorsExitTwoBeforeAnythingIsSent(String argv, String message) throws Exception {
    Result r = run(argv.split(" +"));

    assertEquals(2, r.status(), r.err());
    assertEquals("supercharger canary: " + message + "\n", r.err());
  }

  @Test
  void anEmptyTokenFileIsAUsageError() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), " \n");

    Result r =
        run("canary", "rollback", "--url", "http://127.0.0.1:1", "--token-file", empty.toString());

    assertEquals(2, r.status());
    assertTrue(r.err().endsWith(": expected one line holding the token\n"), r.err());
  }
}
