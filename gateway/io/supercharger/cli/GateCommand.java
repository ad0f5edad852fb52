package io.supercharger.cli;

import io.supercharger.bench.Check;
import io.supercharger.bench.GateChecks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code supercharger gate}: the runbook's Go/No-Go checklist against a running gateway. Exit 0 is
 * Go.
 */
final class GateCommand {

  int run(Args args, PrintStream out, PrintStream err) {
    URI url = BenchCommand.uri(BenchCommand.required(args, "url"), "url");
    String tokenFile = BenchCommand.required(args, "token-file");
    Duration maxAge = BenchCommand.duration(args, "max-age", "7d");
    Path alerts =
        Path.of(args.option("alerts") == null ? "policies/alerts.yaml" : args.option("alerts"));
    String token;
    try {
      token = Files.readString(Path.of(tokenFile)).trim();
    } catch (IOException e) {
      err.println(
          "supercharger gate: cannot read --token-file " + tokenFile + ": " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    Path report = args.option("report") == null ? null : Path.of(args.option("report"));
    List<Check> items =
        new GateChecks(
                new GateChecks.Options(
                    url, token, report, maxAge, alerts, () -> rollbackDryRun(url, tokenFile)),
                Clock.systemUTC())
            .run();
    long failed = items.stream().filter(c -> c.result() == Check.Result.FAIL).count();
    long skipped = items.stream().filter(c -> c.result() == Check.Result.SKIP).count();
    boolean go = failed == 0 && (skipped == 0 || args.flag("allow-skip"));
    if (args.flag("json")) {
      out.println(
          new JsonObject()
              .put("url", url.toString())
              .put("checked_at", Clock.systemUTC().instant().toString())
              .put("result", go ? "GO" : "NO-GO")
              .put("allow_skip", args.flag("allow-skip"))
              .put(
                  "items",
                  new JsonArray(
                      items.stream()
                          .map(
                              c ->
                                  new JsonObject()
                                      .put("item", c.name())
                                      .put("result", c.result().name())
                                      .put("evidence", c.evidence()))
                          .toList()))
              .encodePrettily());
    } else {
      out.println("Go/No-Go checklist for " + url);
      for (Check c : items) {
        out.printf(Locale.ROOT, "  [%s] %-42s %s%n", c.result(), c.name(), c.evidence());
      }
      out.printf(
          Locale.ROOT,
          "%n%s: %d PASS, %d FAIL, %d SKIP%s%n",
          go ? "GO" : "NO-GO",
          items.size() - failed - skipped,
          failed,
          skipped,
          skipped > 0 && failed == 0 && !go ? " (SKIP counts as No-Go without --allow-skip)" : "");
    }
    return go ? Main.EXIT_OK : Main.EXIT_FAILURE;
  }

  /**
   * `canary rollback --dry-run` through this same CLI; null while the canary command does not
   * exist.
   */
  private static Check rollbackDryRun(URI url, String tokenFile) {
    if (!Main.hasCommand("canary")) {
      return null;
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int status =
        Main.run(
            new String[] {
              "canary", "rollback", "--dry-run", "--url", url.toString(), "--token-file", tokenFile
            },
            capture,
            capture);
    String text = buf.toString(StandardCharsets.UTF_8).trim().replace('\n', ' ');
    return status == 0
        ? Check.pass("", "exit 0: " + text)
        : Check.fail("", "exit " + status + ": " + text);
  }
}
