package io.supercharger.canary;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Where the canary stands. Persisted to the state file on every change, so a restart resumes at the
 * same step instead of jumping back to the configured weights.
 */
public record CanaryState(
    int step, int weight, Status status, int failedWindows, Instant stepSince, Instant updatedAt) {

  public enum Status {
    /** Judged every window, promoted on a pass. */
    RUNNING,
    /** Held by an operator: windows are still judged and recorded, but nothing changes. */
    PAUSED,
    /** Failing, and recycling aggressively instead of rolling back (on_failure: mitigate). */
    MITIGATING,
    /** Weight 0: all traffic on the baseline. */
    ROLLED_BACK,
    /** At the last step. */
    COMPLETED;

    public String label() {
      return name().toLowerCase();
    }
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("step", step)
        .put("weight", weight)
        .put("status", status.label())
        .put("failed_windows", failedWindows)
        .put("step_since", stepSince.toString())
        .put("updated_at", updatedAt.toString());
  }

  static CanaryState fromJson(JsonObject json) {
    return new CanaryState(
        json.getInteger("step"),
        json.getInteger("weight"),
        Status.valueOf(json.getString("status").toUpperCase()),
        json.getInteger("failed_windows", 0),
        Instant.parse(json.getString("step_since")),
        Instant.parse(json.getString("updated_at")));
  }

  CanaryState with(int step, int weight, Status status, int failedWindows, Instant now) {
    Instant since = step != this.step || weight != this.weight ? now : stepSince;
    return new CanaryState(step, weight, status, failedWindows, since, now);
  }
}
