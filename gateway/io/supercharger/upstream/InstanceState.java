package io.supercharger.upstream;

/**
 * READY → DRAINING → RECYCLING → STARTING → READY; DOWN after failed probes or refused connects.
 */
public enum InstanceState {
  READY,
  DRAINING,
  RECYCLING,
  STARTING,
  DOWN;

  public boolean takesRequests() {
    return this == READY;
  }

  /** States from which the instance is expected back soon, so requests may wait for it. */
  public boolean isTransient() {
    return this == DRAINING || this == RECYCLING || this == STARTING;
  }
}
