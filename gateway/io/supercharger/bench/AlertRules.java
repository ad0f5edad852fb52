package io.supercharger.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The checklist's alert item: the rules file loads, and `promtool check rules` passes where
 * promtool is installed.
 */
final class AlertRules {
  private AlertRules() {}

  static Check check(Path file) throws IOException, InterruptedException {
    if (!Files.isRegularFile(file)) {
      return Check.skip("", file + " is not there yet (the canary issue adds the alert rules)");
    }
    Object root =
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(Files.readString(file, StandardCharsets.UTF_8));
    if (!(root instanceof Map<?, ?> top)
        || !(top.get("groups") instanceof List<?> groups)
        || groups.isEmpty()) {
      return Check.fail("", file + ": expected a Prometheus rules file with groups:");
    }
    int alerts = 0;
    for (Object g : groups) {
      if (g instanceof Map<?, ?> group && group.get("rules") instanceof List<?> rules) {
        for (Object r : rules) {
          if (r instanceof Map<?, ?> rule
              && rule.get("alert") != null
              && rule.get("expr") != null) {
            alerts++;
          }
        }
      }
    }
    if (alerts == 0) {
      return Check.fail("", file + ": no alert rule (alert: and expr:) found");
    }
    Path promtool = findOnPath("promtool");
    if (promtool == null) {
      return Check.pass(
          "",
          file
              + ": "
              + alerts
              + " alert rules load; promtool is not installed, so Prometheus did not check them");
    }
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "rules", file.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return Check.fail("", "promtool check rules did not finish in 30 s");
    }
    return p.exitValue() == 0
        ? Check.pass(
            "", file + ": " + alerts + " alert rules; promtool check rules: " + lastLine(output))
        : Check.fail(
            "",
            "promtool check rules "
                + file
                + " exited "
                + p.exitValue()
                + ": "
                + output.replace('\n', ' '));
  }

  static Path findOnPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static String lastLine(String s) {
    String[] lines = s.split("\n");
    return lines[lines.length - 1];
  }
}
