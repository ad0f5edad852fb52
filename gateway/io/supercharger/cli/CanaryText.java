package io.supercharger.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code supercharger canary} shows the admin API's answers to a person (--json shows them
 * raw).
 */
final class CanaryText {
  private static final int SHOWN_VERDICTS = 5;

  private CanaryText() {}

  /** GET /admin/canary: where the canary stands, and the last verdicts with their reasons. */
  static String status(JsonObject s) {
    StringBuilder b = new StringBuilder();
    JsonArray steps = s.getJsonArray("steps", new JsonArray());
    List<String> percents = new ArrayList<>();
    steps.forEach(p -> percents.add(String.valueOf(p)));
    b.append("canary: pool ")
        .append(s.getString("pool"))
        .append(", baseline ")
        .append(s.getString("baseline"))
        .append(Boolean.FALSE.equals(s.getBoolean("active")) ? " (disabled in the config)" : "")
        .append('\n');
    // The API's step is an index into steps; people count from 1.
    b.append("step:   ")
        .append(s.getInteger("step", 0) + 1)
        .append('/')
        .append(steps.size())
        .append(" at ")
        .append(s.getInteger("weight"))
        .append("% (steps ")
        .append(String.join(", ", percents))
        .append(")\n");
    b.append("state:  ")
        .append(s.getString("state"))
        .append(", ")
        .append(duration(s.getLong("seconds_at_step", 0L)))
        .append(" at this step, ")
        .append(s.getInteger("failed_windows", 0))
        .append(" failed window(s)\n");
    JsonArray verdicts = s.getJsonArray("verdicts", new JsonArray());
    if (verdicts.isEmpty()) {
      return b.append("verdicts: none yet (one per ")
          .append(s.getInteger("interval_second", 0))
          .append(" s window)\n")
          .toString();
    }
    b.append("verdicts (newest first):\n");
    for (int i = verdicts.size() - 1; i >= Math.max(0, verdicts.size() - SHOWN_VERDICTS); i--) {
      JsonObject v = verdicts.getJsonObject(i);
      b.append(
          String.format("  %s  %-12s  %s%n", v.getString("at"), v.getString("result"), why(v)));
    }
    return b.toString();
  }

  /** A mutation's answer: {action, dry_run, before, after}. */
  static String change(JsonObject c) {
    return (c.getBoolean("dry_run", false) ? "dry run, nothing changed: " : "")
        + c.getString("action")
        + ": "
        + state(c.getJsonObject("before"))
        + " -> "
        + state(c.getJsonObject("after"))
        + "\n";
  }

  /** The reasons; a pass has none, so it shows what was measured instead. */
  private static String why(JsonObject verdict) {
    List<String> parts = new ArrayList<>();
    verdict.getJsonArray("reasons", new JsonArray()).forEach(r -> parts.add(String.valueOf(r)));
    if (parts.isEmpty()) {
      verdict
          .getJsonObject("classes", new JsonObject())
          .forEach(
              e -> {
                JsonObject m = (JsonObject) e.getValue();
                Number p95 = m.getNumber("p95_ms");
                if (m.getLong("requests", 0L) > 0 && p95 != null) {
                  parts.add(
                      e.getKey()
                          + " "
                          + m.getLong("requests")
                          + " req, p95 "
                          + Math.round(p95.doubleValue())
                          + " ms, "
                          + m.getNumber("error_rate_pct")
                          + "% errors");
                }
              });
    }
    return String.join("; ", parts);
  }

  private static String state(JsonObject s) {
    return s == null
        ? "?"
        : "step "
            + (s.getInteger("step", 0) + 1)
            + " at "
            + s.getInteger("weight")
            + "% ("
            + s.getString("state")
            + ")";
  }

  static String duration(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m" + String.format("%02ds", seconds % 60);
    }
    return seconds / 3600 + "h" + String.format("%02dm", seconds % 3600 / 60);
  }
}
