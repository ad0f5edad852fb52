package io.supercharger.canary;

/** Who hears about canary changes: metrics, the flight recorder, the structured log. */
public interface CanaryListener {
  /**
   * @param event what happened: promote, hold, rollback, mitigate, pause, resume, weight
   * @param verdict the verdict that caused it, or null for an operator's action
   */
  void changed(CanaryState state, String event, Verdict verdict);

  /** Every judged window, whatever it caused. */
  default void judged(Verdict verdict) {}
}
