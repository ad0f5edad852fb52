package io.supercharger.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * policies/alerts.yaml through promtool (Debian package prometheus, which .ci/run installs): the
 * rules must load, and alerts_test.yaml's synthetic series must fire exactly the expected alerts,
 * including the cases that must not fire (a completed canary's baseline at 0, a restart that was a
 * counted recycle, a gateway that just started). Skipped when promtool is missing.
 */
class AlertRulesTest {
  private static final Path POLICIES = Path.of("policies").toAbsolutePath();
  private static String promtool;

  @BeforeAll
  static void findPromtool() {
    promtool = onPath(System.getenv().getOrDefault("PROMTOOL", "promtool"));
  }

  @Test
  void theRulesLoad() throws Exception {
    Run r = promtool("check", "rules", "alerts.yaml");

    assertEquals(0, r.status(), r.output());
    assertTrue(r.output().contains("SUCCESS: 9 rules found"), r.output());
  }

  @Test
  void theRulesFireOnSyntheticSeriesAsTheUnitTestsExpect() throws Exception {
    Run r = promtool("test", "rules", "alerts_test.yaml");

    assertEquals(0, r.status(), r.output());
    assertTrue(r.output().contains("SUCCESS"), r.output());
  }

  private record Run(int status, String output) {}

  private static Run promtool(String... args) throws IOException, InterruptedException {
    assumeTrue(promtool != null, "promtool is not installed (apt-get install prometheus)");
    List<String> command = new ArrayList<>(List.of(promtool));
    command.addAll(List.of(args));
    Path log = Files.createTempFile("promtool", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(POLICIES.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("promtool " + String.join(" ", args) + " ran over 60 s");
      }
      return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** The executable, absolute or found on PATH; null when there is none. */
  private static String onPath(String name) {
    if (name.contains(File.separator)) {
      return Files.isExecutable(Path.of(name)) ? name : null;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
