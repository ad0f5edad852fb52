package io.supercharger.routing;

/**
 * The SLO class of a route: {@code policies/slo.yaml} sets a latency and error budget per class.
 */
public enum RouteClass {
  READ,
  WRITE;

  /** The label value in metrics and the key in {@code slo.yaml}: {@code read} or {@code write}. */
  public String label() {
    return this == READ ? "read" : "write";
  }
}
