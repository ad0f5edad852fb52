package io.supercharger.bench;

/**
 * One verdict line, a bench gate or a Go/No-Go item: what was checked, the result and the evidence.
 *
 * @param measured null when there is no single number (SKIP, or a yes/no check)
 * @param limit the policy's bound, null when none
 */
public record Check(
    String name, Result result, Double measured, Double limit, String unit, String evidence) {
  public enum Result {
    PASS,
    FAIL,
    SKIP
  }

  public static Check pass(String name, String evidence) {
    return new Check(name, Result.PASS, null, null, null, evidence);
  }

  public static Check fail(String name, String evidence) {
    return new Check(name, Result.FAIL, null, null, null, evidence);
  }

  public static Check skip(String name, String reason) {
    return new Check(name, Result.SKIP, null, null, null, reason);
  }

  /** PASS when {@code measured <= limit}. */
  public static Check atMost(
      String name, double measured, double limit, String unit, String evidence) {
    return new Check(
        name, measured <= limit ? Result.PASS : Result.FAIL, measured, limit, unit, evidence);
  }
}
