package io.supercharger.upstream;

/** Why an instance was recycled: the {@code reason} label of gateway_recycles_total. */
public enum RecycleReason {
  MAX_REQUEST,
  MAX_MEMORY,
  MAX_UPTIME,
  SELF_SIGNALLED,
  MANUAL;

  public String label() {
    return name().toLowerCase();
  }

  /** Parses a label; null when unknown (labels never come from raw input). */
  public static RecycleReason fromLabel(String label) {
    for (RecycleReason r : values()) {
      if (r.label().equals(label)) {
        return r;
      }
    }
    return null;
  }
}
