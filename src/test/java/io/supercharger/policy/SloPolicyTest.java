package io.supercharger.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.supercharger.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * policies/slo.yaml as both the canary and the bench read it. Guards the merge of their two
 * loaders: one schema (ARCHITECTURE.md), one fallback rule, and errors that name the file and the
 * field.
 */
class SloPolicyTest {
  private static final SloPolicy.Limits READ = new SloPolicy.Limits(250, 0.5);
  private static final SloPolicy.Limits WRITE = new SloPolicy.Limits(700, 0.5);

  private static SloPolicy parse(String yaml) {
    return SloPolicy.parse(yaml, "slo.yaml");
  }

  @Test
  void theEmbeddedPolicyIsTheRepositorysFile() {
    SloPolicy embedded = SloPolicy.embedded();
    assertEquals("embedded policies/slo.yaml", embedded.source());
    assertEquals(Map.of("read", READ, "write", WRITE), embedded.classes());
    assertEquals(Map.of(), embedded.routes());
    assertEquals(6, embedded.recycleMaxPerMinute());
    assertEquals(10, embedded.memoryMaxGrowthPct());
    assertEquals(30, embedded.memoryWindowMinutes());
    SloPolicy file = SloPolicy.load(Path.of("policies/slo.yaml"));
    assertEquals(embedded.classes(), file.classes());
    assertEquals("policies/slo.yaml", file.source());
  }

  /** canary.policy left out (null after the config loader, or empty) means the embedded policy. */
  @Test
  void loadOrEmbeddedFallsBackOnlyWithoutAFile(@TempDir Path dir) throws Exception {
    assertEquals(SloPolicy.embedded(), SloPolicy.loadOrEmbedded(null));
    assertEquals(SloPolicy.embedded(), SloPolicy.loadOrEmbedded(""));
    Path file = dir.resolve("slo.yaml");
    Files.writeString(
        file,
        """
        classes: {read: {p95_ms: 100, error_rate_pct: 1}, write: {p95_ms: 300, error_rate_pct: 2}}
        """);
    assertEquals(
        new SloPolicy.Limits(300, 2), SloPolicy.loadOrEmbedded(file.toString()).forClass("write"));
  }

  @Test
  void aRouteOverrideFallsBackToItsClassFieldByField() {
    SloPolicy p =
        parse(
            """
        classes:
          read:  {p95_ms: 250, error_rate_pct: 0.5}
          write: {p95_ms: 700, error_rate_pct: 0.5}
        routes: {orders: {p95_ms: 500}, search: {error_rate_pct: 2}}
        """);
    assertEquals(new SloPolicy.Limits(500, 0.5), p.forRoute("orders", "write"));
    assertEquals(new SloPolicy.Limits(250, 2), p.forRoute("search", "read"));
    assertEquals(WRITE, p.forRoute("no-override", "write"));
    assertEquals(READ, p.forClass("batch"), "a class the policy does not name is judged as read");
    assertEquals(6, p.recycleMaxPerMinute(), "recycle and memory have the runbook's defaults");
    assertEquals(10, p.memoryMaxGrowthPct());
    assertEquals(30, p.memoryWindowMinutes());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "write missing     | classes: {read: {p95_ms: 1, error_rate_pct: 1}}"
            + "                 | slo.yaml: classes.write: missing (read and write are both required)",
        "class half set    | classes: {read: {p95_ms: 1}, write: {p95_ms: 1, error_rate_pct: 1}}"
            + "                 | slo.yaml: classes.read: p95_ms and error_rate_pct are both required",
        "negative          | classes: {read: {p95_ms: -1, error_rate_pct: 1}, write: {p95_ms: 1, error_rate_pct: 1}}"
            + "                 | slo.yaml: classes.read.p95_ms: \"-1\" (expected a non-negative number)",
        "route not a gate  | {classes: {read: {p95_ms: 1, error_rate_pct: 1}, write: {p95_ms: 1, error_rate_pct: 1}}, routes: {a: 5}}"
            + "                 | slo.yaml: routes.a: \"5\" (expected {p95_ms, error_rate_pct})",
        "unknown gate key  | {classes: {read: {p95_ms: 1, error_rate_pct: 1}, write: {p95_ms: 1, error_rate_pct: 1}}, routes: {a: {p99_ms: 5}}}"
            + "                 | slo.yaml: routes.a.p99_ms: unknown key (expected one of [error_rate_pct, p95_ms])",
        "unknown top key   | {classes: {read: {p95_ms: 1, error_rate_pct: 1}, write: {p95_ms: 1, error_rate_pct: 1}}, rollback: {}}"
            + "                 | slo.yaml: rollback: unknown key (expected one of [classes, memory, recycle, routes])",
        "unknown recycle   | {classes: {read: {p95_ms: 1, error_rate_pct: 1}, write: {p95_ms: 1, error_rate_pct: 1}}, recycle: {max: 1}}"
            + "                 | slo.yaml: recycle.max: unknown key (expected one of [max_per_minute])",
        "fractional window | {classes: {read: {p95_ms: 1, error_rate_pct: 1}, write: {p95_ms: 1, error_rate_pct: 1}}, memory: {window_minutes: 7.5}}"
            + "                 | slo.yaml: memory.window_minutes: \"7.5\" (expected a whole number >= 0)",
        "text for a number | {classes: {read: {p95_ms: 1, error_rate_pct: 1}, write: {p95_ms: 1, error_rate_pct: 1}}, memory: {max_growth_pct: ten}}"
            + "                 | slo.yaml: memory.max_growth_pct: \"ten\" (expected a non-negative number)",
        "not a mapping     | [1, 2]"
            + "                 | slo.yaml: expected a mapping with [classes, memory, recycle, routes]",
      })
  void everyErrorNamesTheFileAndTheField(String scenario, String yaml, String problem) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));
    assertEquals(List.of(problem), e.problems());
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                parse(
                    """
        classes: {read: {p95_ms: x, error_rate_pct: 1}}
        recycle: {max_per_minute: -2}
        """));
    assertEquals(
        List.of(
            "slo.yaml: classes.read.p95_ms: \"x\" (expected a non-negative number)",
            "slo.yaml: classes.write: missing (read and write are both required)",
            "slo.yaml: recycle.max_per_minute: \"-2\" (expected a non-negative number)"),
        e.problems());
  }

  @Test
  void aMissingFileIsAConfigErrorNamingIt(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    ConfigException e =
        assertThrows(ConfigException.class, () -> SloPolicy.loadOrEmbedded(missing.toString()));
    assertEquals(List.of(missing + ": no such file"), e.problems());
  }
}
