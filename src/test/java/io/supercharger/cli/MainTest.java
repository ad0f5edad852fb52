package io.supercharger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLI's contract with scripts and operators: exit statuses and where messages go. Nothing here
 * starts the gateway or the demo; --help and bad options are handled before either starts.
 */
class MainTest {

  /** One run of the CLI with its captured streams. */
  private record Result(int status, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = Main.run(args, o, e);
    }
    return new Result(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void checkConfigOnAValidFileExitsZeroAndSaysOk(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("gateway.yaml"),
            """
        security: {enabled: false}
        pools:
          app: {engine: php-worker, instances: ["127.0.0.1:8081"]}
        """);

    Result r = run("check-config", file.toString());

    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("ok: " + file), r.out());
    assertEquals("", r.err());
  }

  @Test
  void checkConfigOnABadFileExitsTwoNamingEachFieldOnStderr(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("gateway.yaml"),
            """
        listen: {port: 70000}
        pools:
          app: {engine: nginx, instances: ["127.0.0.1:8081"]}
        """);

    Result r = run("check-config", file.toString());

    assertEquals(2, r.status());
    assertEquals("", r.out());
    assertEquals(
        """
        config error:
          listen.port: "70000" (expected a whole number from 0 to 65535)
          pools.app.engine: "nginx" (expected one of roadrunner|frankenphp|swoole|php-worker|fpm)
        """,
        r.err());
  }

  @Test
  void checkConfigOnAMissingFileExitsTwo(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");

    Result r = run("check-config", missing.toString());

    assertEquals(2, r.status());
    assertTrue(r.err().contains(missing + ": no such file"), r.err());
  }

  @Test
  void checkConfigWithoutAFileExitsTwo() {
    Result r = run("check-config");

    assertEquals(2, r.status());
    assertTrue(r.err().contains("which file?"), r.err());
  }

  @Test
  void versionPrintsVersionAndCommit() {
    Result r = run("version");

    assertEquals(0, r.status());
    assertTrue(r.out().startsWith("supercharger 0.1.0 (commit "), r.out());
  }

  @ParameterizedTest(name = "{0} --help")
  @ValueSource(strings = {"run", "check-config", "version", "demo", "bench", "gate", "canary"})
  void helpOnEverySubcommandExitsZeroWithUsage(String command) {
    Result r = run(command, "--help");

    assertEquals(0, r.status());
    assertTrue(r.out().startsWith("Usage: supercharger " + command), r.out());
    assertEquals("", r.err());
  }

  @Test
  void topLevelHelpExitsZeroButNoArgumentsIsAUsageError() {
    assertEquals(0, run("--help").status());
    Result none = run();
    assertEquals(2, none.status());
    assertTrue(none.out().contains("Usage:"), none.out());
  }

  @Test
  void unknownCommandExitsTwo() {
    Result r = run("frobnicate");

    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("supercharger: unknown command 'frobnicate'"), r.err());
  }

  /** Options are parsed before anything starts, so run and demo fail fast here too. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "run,          --frob",
    "demo,         --frob=1",
    "check-config, --frob",
    "version,      --frob",
    "bench,        --frob",
    "gate,         --frob",
  })
  void unknownOptionExitsTwoNamingIt(String command, String option) {
    Result r = run(command, option);

    assertEquals(2, r.status());
    assertEquals("supercharger " + command + ": unknown option --frob (see --help)\n", r.err());
  }
}
